import type { SqlStatement, SplitResult } from '../../db/statements.js';
import type { Direction } from '../../formats/types.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  rule: string;
  severity: Severity;
  /** The file as the user names it (relative to the working directory when inside it). */
  file: string;
  /** 1-based, numbered as in the whole file (a dbmate section keeps the file's numbering). */
  line: number;
  column: number;
  /** The migration this finding belongs to, and which half. */
  version: string;
  direction: Direction;
  /** The statement, shortened to one line. */
  statement: string;
  /** What happens and why it is risky, with the live facts it rests on. */
  message: string;
  /** The safe way to write it. */
  fix: string;
}

/** One file (or dbmate section) the tool will run, parsed, with how the tool runs it. */
export interface LintFile {
  version: string;
  direction: Direction;
  /** Shown path. */
  file: string;
  /** 0-based line of the file where `sql` starts (a dbmate section), else 0. */
  lineOffset: number;
  sql: string;
  parsed: SplitResult;
  /** true: the tool wraps it in a transaction; false: it does not; undefined: never (golang-migrate). */
  transaction?: boolean;
  /** The tool sends each statement as its own query; else the whole text as one query. */
  eachStatement: boolean;
  /** For an up: whether its migration has a down that does something. */
  hasDown?: boolean;
  /** The migration's other half (an up's down, a down's up), parsed, when it has one that does something. */
  other?: LintFile;
  /** For an up: what a replay on a scratch database saw its down do (verify), when one was run. */
  replayed?: ReplayEvidence;
}

/** What verify's replay saw: the down restored the schema exactly, left differences, or failed. */
export interface ReplayEvidence {
  status: 'ok' | 'leaves' | 'down-failed' | 'reup-differs';
  differences: string[];
  error?: string;
  /** Where the replay ran (the scratch server, password hidden). */
  where: string;
}

/** A table as the database shows it. */
export interface TableFacts {
  schema: string;
  name: string;
  /** pg_class.reltuples: null when the table was never analyzed. */
  estimate: number | null;
  /** Whether a row exists (checked with a one-row read); null when it could not be read. */
  hasRows: boolean | null;
  /** Column name -> its type, as format_type prints it ("character varying(20)"), with the parts rules compare. */
  columns: Map<string, ColumnType>;
  /** Columns with a validated CHECK (col IS NOT NULL). */
  notNullChecked: Set<string>;
}

export interface ColumnType {
  /** pg_type name: varchar, text, numeric, int4, ... */
  type: string;
  /** Type modifiers as written: varchar(20) -> [20], numeric(10,2) -> [10, 2]. */
  mods: number[];
  array: boolean;
}

/** What the live database says, gathered before linting (see facts.ts). */
export interface DbFacts {
  serverVersionNum: number;
  /** current_schemas(false), in order: where an unqualified name resolves. */
  searchPath: string[];
  /** lock_timeout already set for the session (role, database or URL setting): milliseconds, 0 = none. */
  lockTimeoutMs: number;
  /** "schema.name" -> facts, for the tables the files name. */
  tables: Map<string, TableFacts>;
  /** Function name -> pg_proc.provolatile ('i', 's', 'v') for functions named in defaults. */
  volatility: Map<string, string>;
}

export type RuleSetting = 'off' | Severity | 'on';

export interface LintConfig {
  /** Rule code -> off, on (its own severity) or a fixed severity. */
  rules: Record<string, RuleSetting>;
}

export const EMPTY_CONFIG: LintConfig = { rules: {} };

/** What a rule reports; the core adds the file, position and statement. */
export interface RuleReport {
  rule: string;
  severity: Severity;
  message: string;
  fix: string;
}

export type { SqlStatement };
