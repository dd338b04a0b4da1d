import type { SqlStatement } from '../db/statements.js';

export type StatementFate = 'kept' | 'rolled-back' | 'failed' | 'not-run' | 'unknown';

export interface FileEffects {
  /** How the file ran as one simple query. */
  mode: 'implicit-transaction' | 'explicit-transactions' | 'single-non-transactional' | 'rejected-before-running' | 'statement-by-statement';
  fates: StatementFate[];
  /** Index of the failing statement, when known. */
  failedIndex?: number;
  /** How the failing statement was found. */
  located: 'position' | 'identifier' | 'unknown';
  /** Plain-language account of what PostgreSQL kept. */
  summary: string;
  /** Statements that could not run inside this file at all (non-transactional in a multi-statement query). */
  blockedByTransaction: number[];
}

/**
 * What PostgreSQL kept of a file sent as one simple query that failed at statement `failedIndex`.
 * Pure. Rules (PostgreSQL protocol, "multiple statements in a simple query"): without transaction
 * control the whole string is one implicit transaction; an explicit COMMIT commits everything since
 * the last block boundary; BEGIN makes the preceding implicit statements part of its block; at the
 * failure the open block, implicit or explicit, is rolled back; nothing after it runs.
 */
export function fileEffects(
  statements: SqlStatement[],
  failedIndex: number | undefined,
  located: FileEffects['located'],
  /** unknownCommit: Ladder never saw the query end (killed, connection lost); doneWithBody: its 'ok' would have committed with the file's last transaction, and did not. */
  run: { unknownCommit?: boolean; doneWithBody?: boolean } = {},
): FileEffects {
  const multi = statements.length > 1;
  const blockedByTransaction = multi ? statements.filter((s) => s.nonTransactional).map((s) => s.index) : [];
  const hasControl = statements.some((s) => s.transaction === 'begin' || s.transaction === 'commit' || s.transaction === 'rollback');
  if (failedIndex === undefined && run.unknownCommit) {
    const mode = !multi && statements[0]?.nonTransactional ? 'single-non-transactional' : hasControl ? 'explicit-transactions' : 'implicit-transaction';
    if (!run.doneWithBody || mode === 'single-non-transactional')
      return {
        mode,
        fates: statements.map(() => 'unknown'),
        located,
        summary: 'Ladder did not see the step end, and its record of it commits separately from the file, so the record alone cannot say whether the file committed; the catalog decides below.',
        blockedByTransaction,
      };
    // The 'ok' was part of the file's last transaction: everything after the file's last COMMIT/ROLLBACK was not committed.
    let lastEnd = -1;
    statements.forEach((s, i) => {
      if (s.transaction === 'commit' || s.transaction === 'rollback') lastEnd = i;
    });
    const fates: StatementFate[] = statements.map((_, i) => (i > lastEnd ? 'rolled-back' : 'unknown'));
    return {
      mode,
      fates,
      located,
      summary:
        lastEnd < 0
          ? "Ladder writes its record of a finished step in the same transaction as the file's last statement; that record never committed, so the file's transaction did not commit either: nothing of it took effect."
          : `Ladder writes its record of a finished step in the same transaction as the file's last statements; that record never committed, so the statements after line ${statements[lastEnd]!.endLine} did not take effect. What the file committed before that is checked in the catalog below.`,
      blockedByTransaction,
    };
  }
  if (failedIndex === undefined) {
    const mode = !multi && statements[0]?.nonTransactional ? 'single-non-transactional' : hasControl ? 'explicit-transactions' : 'implicit-transaction';
    if (mode === 'implicit-transaction')
      return {
        mode,
        fates: statements.map(() => 'rolled-back'),
        located,
        summary:
          'The file has no transaction control, so it ran as one implicit transaction: the failure rolled back all of it. Nothing took effect.' +
          (blockedByTransaction.length > 0 ? ` ${statements[blockedByTransaction[0]!]!.kind} cannot run inside a transaction block, and a file of several statements is one: move it to a migration file of its own.` : ''),
        blockedByTransaction,
      };
    return {
      mode,
      fates: statements.map(() => 'unknown'),
      located,
      summary:
        'PostgreSQL did not say which statement failed, and the file commits part of its work (explicit transaction control or a non-transactional statement), so some statements may have taken effect. Check the objects below.',
      blockedByTransaction,
    };
  }
  if (!multi && statements[0]?.nonTransactional) {
    return {
      mode: 'single-non-transactional',
      fates: ['failed'],
      failedIndex,
      located,
      summary: `The file is a single statement that cannot run in a transaction (${statements[0].kind}); it failed part-way, which can leave a half-built object behind (e.g. an INVALID index: drop it before retrying).`,
      blockedByTransaction,
    };
  }
  const fates: StatementFate[] = statements.map(() => 'not-run');
  let open: number[] = [];
  for (let i = 0; i < failedIndex; i++) {
    const t = statements[i]!.transaction;
    if (t === 'commit') {
      for (const j of open) fates[j] = 'kept';
      fates[i] = 'kept';
      open = [];
    } else if (t === 'rollback') {
      for (const j of open) fates[j] = 'rolled-back';
      fates[i] = 'kept';
      open = [];
    } else open.push(i);
  }
  for (const j of open) fates[j] = 'rolled-back';
  fates[failedIndex] = 'failed';
  const kept = fates.filter((f, i) => f === 'kept' && !statements[i]!.transaction).length;
  const rolled = fates.filter((f) => f === 'rolled-back').length;
  const notRun = fates.filter((f) => f === 'not-run').length;
  const failed = statements[failedIndex]!;
  const blocked = failed.nonTransactional && multi;
  let summary: string;
  if (!hasControl)
    summary = `The file has no transaction control, so it ran as one implicit transaction: the failure at line ${failed.startLine} rolled back all ${statements.length} statements. Nothing took effect.`;
  else
    summary =
      `The file controls its own transactions: ${kept} statement${kept === 1 ? '' : 's'} committed before the failure took effect` +
      `, ${rolled} in the open transaction ${rolled === 1 ? 'was' : 'were'} rolled back, and ${notRun} after it never ran.`;
  if (blocked)
    summary += ` ${failed.kind} cannot run inside a transaction block, and a file of several statements is one: move it to a migration file of its own.`;
  return { mode: hasControl ? 'explicit-transactions' : 'implicit-transaction', fates, failedIndex, located, summary, blockedByTransaction };
}

/** SQLSTATEs of "does not exist" errors: a DROP ... IF EXISTS of that object only raises a NOTICE. */
const DOES_NOT_EXIST = new Set(['42P01', '42704', '42883', '42703', '3F000', '42P02']);
const ALREADY_EXISTS = new Set(['42P07', '42710', '42723', '42P06', '42701']);

/**
 * When PostgreSQL gave no position: a non-transactional statement for "cannot run inside a transaction
 * block" (25001); for a dependency error (2BP01) the DROP of that object without CASCADE; else the first
 * statement acting on an object the error names, passing over the ones the error cannot come from
 * (DROP ... IF EXISTS for "does not exist", CREATE ... IF NOT EXISTS for "already exists").
 */
export function guessFailingStatement(statements: SqlStatement[], message: string, sqlstate?: string): number | undefined {
  if (sqlstate === '25001' || /cannot run inside a transaction block/.test(message)) {
    const blocked = statements.find((s) => s.nonTransactional);
    if (blocked) return blocked.index;
  }
  const dependency = /^cannot drop (?:[a-z ]+?) (\S+) because other objects depend on it/.exec(message);
  if (sqlstate === '2BP01' || dependency) {
    const name = dependency?.[1]?.replace(/^"|"$/g, '').split('.').pop();
    const hit = statements.find((s) => s.kind === 'DropStmt' && !s.cascade && s.objects.some((o) => name === undefined || o.name === name));
    if (hit) return hit.index;
  }
  const names = [...message.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.split('.').pop()!);
  const cannotBe = (s: SqlStatement, name: string) =>
    s.objects.some((o) => o.name === name && o.guarded && ((DOES_NOT_EXIST.has(sqlstate ?? '') && o.action === 'drop') || (ALREADY_EXISTS.has(sqlstate ?? '') && o.action === 'create')));
  for (const name of names) {
    const byObject = statements.find((s) => !s.transaction && !cannotBe(s, name) && s.objects.some((o) => o.name === name || o.on?.name === name));
    if (byObject) return byObject.index;
    const re = new RegExp(`(^|[^\\w$])"?${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"?([^\\w$]|$)`, 'i');
    const hit = statements.find((s) => !s.transaction && !cannotBe(s, name) && re.test(s.text));
    if (hit) return hit.index;
  }
  return undefined;
}
