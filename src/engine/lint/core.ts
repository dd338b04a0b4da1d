import { oneLine } from './ast.js';
import { SchemaModel } from './model.js';
import { IGNORE_WITHOUT_REASON, RULES, RULE_CODES, SYNTAX_ERROR } from './rules/index.js';
import type { Rule, StatementContext } from './rules/rule.js';
import type { DbFacts, Finding, LintConfig, LintFile, RuleReport, Severity, SqlStatement } from './types.js';

export interface LintInput {
  /** The files to report on, in the order they run. */
  files: LintFile[];
  /** Earlier ups that have not run on the database: they only teach the model what exists. */
  history?: LintFile[];
  /** Live facts; absent: the folder's history alone decides what exists. */
  db?: DbFacts;
  config: LintConfig;
}

/** Pure: (parsed files, database facts, config) -> findings, in file order. */
export function lint(input: LintInput): Finding[] {
  const model = new SchemaModel(input.db);
  for (const f of input.history ?? []) {
    model.nextMigration();
    if (f.parsed.ok) for (const s of f.parsed.statements) model.apply(s.kind, s.node);
  }
  const rules = RULES.filter((r) => enabled(r, input.config));
  const out: Finding[] = [];
  const upsLinted = new Set(input.files.filter((f) => f.direction === 'up').map((f) => f.version));
  for (const file of input.files) {
    // A down is linted against the schema its up left; what it drops stays for the files after it.
    const m = file.direction === 'up' ? model : model.fork();
    m.nextMigration();
    out.push(...lintFile(file, m, rules, input));
    // Both halves together, once per migration: from its up, or from its down when the up is not linted.
    const pair = file.direction === 'up' ? (file.other ? ([file, file.other] as const) : undefined) : file.other && !upsLinted.has(file.version) ? ([file.other, file] as const) : undefined;
    if (pair) out.push(...lintPair(pair[0], pair[1], rules, input.config));
  }
  return out;
}

function lintPair(up: LintFile, down: LintFile, rules: Rule[], config: LintConfig): Finding[] {
  if (!up.parsed.ok || !down.parsed.ok) return [];
  const out: Finding[] = [];
  for (const rule of rules) {
    for (const rep of rule.checkPair?.(up, down) ?? []) {
      const file = rep.half === 'up' ? up : down;
      const statements = file.parsed.ok ? file.parsed.statements : [];
      if (ignoresBefore(file.sql.split('\n'), rep.stmt, statements).rules.has(rep.rule)) continue;
      const { half: _half, stmt, ...r } = rep;
      void _half;
      const at = positionOf(file.sql, stmt.start);
      const f = finding(file, r, at.line, at.column, oneLine(stmt.text), config);
      if (f) out.push(f);
    }
  }
  return out;
}

/** A rule's report as a finding of a file, re-graded or dropped by the project's settings. */
function finding(file: LintFile, r: RuleReport, line: number, column: number, statement: string, config: LintConfig): Finding | undefined {
  const setting = config.rules[r.rule];
  if (setting === 'off') return undefined;
  const severity: Severity = setting === 'error' || setting === 'warning' || setting === 'info' ? setting : r.severity;
  return { ...r, severity, file: file.file, line: line + file.lineOffset, column, version: file.version, direction: file.direction, statement };
}

function enabled(rule: Rule, config: LintConfig): boolean {
  const s = config.rules[rule.code];
  return s === undefined ? !rule.optIn : s !== 'off';
}

function lintFile(file: LintFile, model: SchemaModel, rules: Rule[], input: LintInput): Finding[] {
  const out: Finding[] = [];
  const lines = file.sql.split('\n');
  const emit = (r: RuleReport, line: number, column: number, statement: string) => {
    const f = finding(file, r, line, column, statement, input.config);
    if (f) out.push(f);
  };
  for (const r of rules) for (const rep of r.checkFile?.(file) ?? []) emit(rep, 1, 1, '');
  if (!file.parsed.ok) {
    const at = positionOf(file.sql, (file.parsed.position ?? 1) - 1);
    emit(
      { rule: SYNTAX_ERROR, severity: 'error', message: `PostgreSQL's parser rejects this file: ${file.parsed.message}. The migration will fail.`, fix: 'Fix the SQL at this position.' },
      at.line,
      at.column,
      oneLine(lines[at.line - 1] ?? ''),
    );
    return out;
  }
  const statements = file.parsed.statements;
  let block = false;
  let lockTimeout = (input.db?.lockTimeoutMs ?? 0) > 0;
  let lockWarned = false;
  for (const stmt of statements) {
    const transaction =
      file.transaction === true
        ? 'the tool runs this file in a transaction'
        : block
          ? 'the file opened a transaction with BEGIN before it'
          : !file.eachStatement && statements.length > 1
            ? `the tool sends the file's ${statements.length} statements as one query, which PostgreSQL runs as one implicit transaction`
            : null;
    const ctx: StatementContext = { kind: stmt.kind, node: stmt.node, stmt, file, model, db: input.db, transaction, lockTimeout: lockTimeout || lockWarned };
    const at = positionOf(file.sql, stmt.start);
    const ignores = ignoresBefore(lines, stmt, statements);
    for (const bad of ignores.problems) emit(bad, at.line - 1, 1, oneLine(lines[at.line - 2] ?? ''));
    for (const rule of rules) {
      for (const rep of rule.check?.(ctx) ?? []) {
        if (rep.rule === 'lock-timeout') lockWarned = true;
        if (ignores.rules.has(rep.rule)) continue;
        emit(rep, at.line, at.column, oneLine(stmt.text));
      }
    }
    model.apply(stmt.kind, stmt.node);
    if (stmt.transaction === 'begin') block = true;
    else if (stmt.transaction === 'commit' || stmt.transaction === 'rollback') block = false;
    const set = lockTimeoutSetting(stmt);
    if (set !== undefined) lockTimeout = set;
  }
  return out;
}

/** SET [LOCAL] lock_timeout = ...: true when it sets a limit, false when it turns it off. */
function lockTimeoutSetting(stmt: SqlStatement): boolean | undefined {
  const n = stmt.node;
  if (stmt.kind !== 'VariableSetStmt' || n.name !== 'lock_timeout') return undefined;
  if (n.kind !== 'VAR_SET_VALUE') return false;
  const v = n.args?.[0]?.A_Const;
  const value = v?.sval?.sval ?? (v?.ival ? String(v.ival.ival ?? 0) : undefined);
  return value !== undefined && !/^0+(ms|s|min)?$/.test(value.trim());
}

const DIRECTIVE = '-- ladder:ignore';

/**
 * `-- ladder:ignore RULE[,RULE] reason` on the comment lines right above a statement. The lines
 * checked lie between the previous statement and this one, so they are comments by the parser's word.
 */
function ignoresBefore(lines: string[], stmt: SqlStatement, statements: SqlStatement[]): { rules: Set<string>; problems: RuleReport[] } {
  const rules = new Set<string>();
  const problems: RuleReport[] = [];
  const prevEndLine = stmt.index > 0 ? statements[stmt.index - 1]!.endLine : 0;
  for (let l = stmt.startLine - 1; l > prevEndLine; l--) {
    const text = lines[l - 1]!.trim();
    if (!text.startsWith(DIRECTIVE)) break;
    const [codes = '', ...reason] = text.slice(DIRECTIVE.length).trim().split(/\s+/);
    const named = codes.split(',').filter(Boolean);
    const unknown = named.filter((c) => !RULE_CODES.has(c));
    if (named.length === 0 || unknown.length > 0)
      problems.push({ rule: IGNORE_WITHOUT_REASON, severity: 'warning', message: `"${text}" names ${named.length === 0 ? 'no rule' : `no rule called ${unknown.join(', ')}`}, so it suppresses nothing.`, fix: 'Write -- ladder:ignore RULE reason, with a rule code from "ladder lint".' });
    else if (reason.join('').trim() === '')
      problems.push({ rule: IGNORE_WITHOUT_REASON, severity: 'warning', message: `"${text}" gives no reason, so it suppresses nothing.`, fix: `Say why it is safe: -- ladder:ignore ${named.join(',')} <reason>.` });
    else for (const c of named) rules.add(c);
  }
  return { rules, problems };
}

/** 1-based line and column (in characters) of a UTF-16 index. */
function positionOf(sql: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = sql.indexOf('\n'); i >= 0 && i < index; i = sql.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: [...sql.slice(lineStart, index)].length + 1 };
}
