import type { SqlStatement } from '../db/statements.js';
import type { StatementFate } from './effects.js';
import type { JournalEntry } from './journal.js';

/** Whether a failed step's work is in the database now. */
export type Committed = 'all' | 'none' | 'part' | 'unknown';
/** What a statement's fate rests on: the catalog now, the journal with PostgreSQL's rules, the file being one transaction, or nothing. */
export type Evidence = 'catalog' | 'journal' | 'one-transaction' | 'none';

/** The attempts of the failed step since the database was last clean (recovery's forces in between skipped), newest first. */
export function attemptsSince(history: JournalEntry[], failed: JournalEntry): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (let i = history.indexOf(failed); i >= 0 && i < history.length; i++) {
    const e = history[i]!;
    if (e.direction === 'force') continue;
    if (e.version !== failed.version || e.direction !== failed.direction || e.outcome === 'ok') break;
    out.push(e);
  }
  return out;
}

/** One fate per statement over several attempts (newest first): kept by any attempt wins, then unknown, then the newest. */
export function combineFates(attempts: StatementFate[][]): StatementFate[] {
  const newest = attempts[0] ?? [];
  return newest.map((f, i) => {
    const all = attempts.map((a) => a[i] ?? 'unknown');
    if (all.includes('kept')) return 'kept';
    if (all.includes('unknown')) return 'unknown';
    return f;
  });
}

interface ObjectEvidence {
  inPlace?: boolean | null;
}

export interface Verdict {
  fates: StatementFate[];
  evidence: Evidence[];
  notes: (string | undefined)[];
  committed: Committed;
  basis: string;
  summary?: string;
  /** The catalog contradicts what the run's record implies. */
  disagrees: boolean;
}

const NOT_IN_EFFECT: StatementFate[] = ['rolled-back', 'not-run', 'failed'];

/**
 * Per statement: the catalog decides where the statement's effect can be checked (and wins over the
 * protocol, saying so); elsewhere the protocol's fate when it is known; in a file that runs as one
 * transaction, the checked statements decide for the unchecked ones (data changes); else unknown.
 */
export function verdictOf(statements: SqlStatement[], protocol: StatementFate[], objects: ObjectEvidence[][], oneTransaction: boolean): Verdict {
  const fates: StatementFate[] = [];
  const evidence: Evidence[] = [];
  const notes: (string | undefined)[] = [];
  const deferred: number[] = [];
  statements.forEach((s, i) => {
    const p = protocol[i] ?? 'unknown';
    const checked = (objects[i] ?? []).filter((o) => o.inPlace === true || o.inPlace === false);
    if (checked.length > 0) {
      const allIn = checked.every((o) => o.inPlace === true);
      const noneIn = checked.every((o) => o.inPlace === false);
      if (allIn && p === 'failed') {
        // e.g. a DROP that failed because its object was already gone: nothing of it to redo, but it did fail
        fates.push('failed');
        notes.push('what it would do is already the case now');
      } else if (allIn) {
        fates.push('kept');
        notes.push(NOT_IN_EFFECT.includes(p) ? `in place now although this attempt ${p === 'failed' ? 'failed on it' : p === 'not-run' ? 'never ran it' : 'rolled it back'}: an earlier attempt or a change by hand did it (the catalog wins)` : undefined);
      } else if (noneIn) {
        fates.push(NOT_IN_EFFECT.includes(p) ? p : 'rolled-back');
        notes.push(p === 'kept' ? 'committed, but not in place now: undone since (the catalog wins)' : undefined);
      } else {
        fates.push('unknown');
        notes.push('only part of what it does is in place now');
      }
      evidence.push('catalog');
    } else if (p !== 'unknown' || s.transaction) {
      fates.push(p);
      evidence.push('journal');
      notes.push(undefined);
    } else {
      fates.push('unknown');
      evidence.push('none');
      notes.push(undefined);
      deferred.push(i);
    }
  });
  if (oneTransaction && deferred.length > 0) {
    const decided = fates.map((f, i) => (evidence[i] === 'catalog' ? f : undefined)).filter((f): f is StatementFate => f !== undefined);
    const kept = decided.length > 0 && decided.every((f) => f === 'kept');
    const gone = decided.length > 0 && decided.every((f) => f !== 'kept' && f !== 'unknown');
    if (kept || gone)
      for (const i of deferred) {
        fates[i] = kept ? 'kept' : 'rolled-back';
        evidence[i] = 'one-transaction';
      }
  }
  const effective = statements.map((s, i) => (s.transaction ? undefined : fates[i])).filter((f): f is StatementFate => f !== undefined);
  const n = (f: StatementFate) => effective.filter((x) => x === f).length;
  let committed: Committed;
  if (effective.length === 0) committed = 'none';
  else if (n('unknown') > 0) committed = 'unknown';
  else if (n('kept') === effective.length) committed = 'all';
  else if (n('kept') === 0) committed = 'none';
  else committed = 'part';
  const byCatalog = evidence.includes('catalog');
  const byTx = evidence.includes('one-transaction');
  const basis =
    committed === 'unknown'
      ? `Ladder cannot tell whether ${n('unknown') === 1 ? 'one statement' : `${n('unknown')} statements`} committed: ${byCatalog ? 'the catalog shows only what schema changes are in place, ' : ''}and no record says whether the file's transaction committed; data changes cannot be checked.`
      : byCatalog
        ? `Checked in the catalog now${byTx ? ', and the file runs as one transaction, so its other statements (data changes) share that fate' : ''}.`
        : 'From the journal and PostgreSQL\'s rules for a query of several statements.';
  const disagrees = notes.some((x) => x !== undefined && /catalog wins/.test(x));
  const summary =
    byCatalog || committed === 'unknown'
      ? `${disagrees ? 'The catalog disagrees with the run\'s record, and wins: ' : ''}${describeCount(n('kept'), 'in place (kept)')}, ${describeCount(n('rolled-back') + n('failed'), 'not in place (rolled back or failed)')}, ${describeCount(n('not-run'), 'not run')}, ${describeCount(n('unknown'), 'unknown')}. ${basis}`
      : undefined;
  return { fates, evidence, notes, committed, basis, summary, disagrees };
}

function describeCount(k: number, what: string): string {
  return `${k} ${what}`;
}
