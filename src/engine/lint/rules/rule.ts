import { relOf, type Node } from '../ast.js';
import type { SchemaModel } from '../model.js';
import type { DbFacts, LintFile, RuleReport, SqlStatement } from '../types.js';

/** What a rule sees of one statement: its tree, the file, and the schema as earlier statements left it. */
export interface StatementContext {
  kind: string;
  node: Node;
  stmt: SqlStatement;
  file: LintFile;
  model: SchemaModel;
  db?: DbFacts;
  /** Why the statement runs inside a transaction (block or implicit), or null when it runs on its own. */
  transaction: string | null;
  /** A lock_timeout is in force for this statement (set earlier in the file, or for the session). */
  lockTimeout: boolean;
}

export interface Rule {
  code: string;
  /** Off by default: a convention some teams keep (enable it in .ladder.toml). */
  optIn?: boolean;
  /** One line for `ladder lint --help`-style listings and the README. */
  summary: string;
  check?(ctx: StatementContext): RuleReport[];
  /** Whole-file checks, reported at the file's first line. */
  checkFile?(file: LintFile): RuleReport[];
  /** Checks of a migration's two halves together (both parsed), each report at a statement of one half. */
  checkPair?(up: LintFile, down: LintFile): PairReport[];
}

export interface PairReport extends RuleReport {
  half: 'up' | 'down';
  stmt: SqlStatement;
}

export function report(rule: string, severity: RuleReport['severity'], message: string, fix: string): RuleReport {
  return { rule, severity, message, fix };
}

/**
 * The table an ALTER TABLE changes, with its row estimate, when it already exists and may hold rows;
 * undefined when a rule about rewriting or validating existing rows has nothing to say.
 */
export function alteredTableWithRows(kind: string, node: Node, model: SchemaModel) {
  if (kind !== 'AlterTableStmt') return undefined;
  const r = relOf(node.relation);
  const t = model.existing(r);
  if (!t) return undefined;
  const rows = model.rows(t);
  if (rows.some === false) return undefined;
  return { r, t, rows };
}
