import type { AppliedMigration, FormatListing, FormatMigration, LedgerRules, RecoveryWords } from '../../formats/driver.js';
import type { DbState, Queryable } from '../../formats/types.js';
import type { JournalEntry } from '../journal.js';
import { attemptsSince } from '../evidence.js';
import { stepReport, type RecoveryCase } from '../diagnose.js';
import { rerunRisk, type Candidate, type RecoveryOption, type StepEvidence } from '../recovery.js';
import type { RecordStep, Step } from '../plan.js';
import { ledgerDown, ledgerUp } from './plan.js';
import { toSourceListing } from './status.js';

/**
 * A set-tracking tool's half-done step, from Ladder's journal: the newest step did not finish and the
 * tool's table does not record it as done (an up without its row, a down whose row is still there).
 * Explained statement by statement like a golang-migrate step; the ways out are the tool's. null: the
 * journal's newest step finished, or the tool's own record shows it did (its row write follows the body).
 */
export async function diagnoseLedger(db: Queryable, rules: LedgerRules, listing: FormatListing, state: DbState, history: JournalEntry[]): Promise<RecoveryCase | null> {
  const entry = history[0];
  if (!entry || entry.outcome === 'ok' || entry.direction === 'force') return null;
  const rows = state.applied ?? [];
  const row = lastRow(rows, entry.version);
  if (entry.direction === 'up' ? row?.success === true : row === undefined) return null;
  const m = listing.migrations.find((x) => x.key === entry.version);
  const source = m && toSourceListing({ ...listing, migrations: [m] }).migrations[0];
  const file = entry.direction === 'up' ? source?.up : source?.down;
  const c: Candidate = { direction: entry.direction, version: entry.version, name: entry.name, ...(file ? { file } : {}), before: entry.fromVersion ?? state.version, after: entry.version };
  const words = rules.recovery;
  const failedRow = row !== undefined && !row.success;
  const report = await stepReport(db, c, entry, attemptsSince(history, entry), (cand, ev) => ledgerOptions(words, m, failedRow, cand, ev));
  const what = `${entry.direction} ${entry.version}${entry.name ? ` ${entry.name}` : ''}`;
  const how =
    entry.outcome === 'failed'
      ? `failed${entry.error ? `: ${entry.error}` : ''}`
      : entry.outcome === 'cancelled'
        ? 'was cancelled'
        : 'was interrupted before Ladder saw it finish (the process was killed, or the connection or server went away)';
  const tool = failedRow ? `${words.tool}'s table records it as failed` : entry.direction === 'up' ? `${words.tool}'s table has no row for it, so ${words.tool} counts it as pending` : `${words.tool}'s table still records it as applied`;
  return {
    state,
    headline: `${what} did not finish, and ${tool}.`,
    source: 'journal',
    explanation: `Ladder's journal (entry #${entry.id}, ${entry.startedAt.slice(0, 19)}, ${entry.dbUser}/${entry.applicationName}) shows that ${what} ${how}.`,
    candidates: [report],
  };
}

function lastRow(rows: AppliedMigration[], key: string): AppliedMigration | undefined {
  let found: AppliedMigration | undefined;
  for (const r of rows) if (r.key === key && (!found || (r.installedRank ?? 0) >= (found.installedRank ?? 0))) found = r;
  return found;
}

/**
 * The tool's ways out of one half-done step, with the same evidence rules as golang-migrate's: running
 * it again is recommended only when none of it is in the database, and asks for a typed confirmation
 * listing what is already there otherwise. Pure.
 */
export function ledgerOptions(words: RecoveryWords, m: FormatMigration | undefined, failedRow: boolean, c: Candidate, ev: StepEvidence): RecoveryOption[] {
  const what = `${c.direction} ${c.version}${c.name ? ` ${c.name}` : ''}`;
  const clear: RecordStep[] = failedRow ? [{ kind: 'record', version: c.version, name: c.name, action: 'remove-failed', text: `delete the failed row of ${c.version}` }] : [];
  const first = failedRow ? `${words.removeFailed}, then ` : '';
  const options: RecoveryOption[] = [];

  const { warning, confirm } = rerunRisk(ev, 'step', 'Undo that part by hand first.');
  if (m && (c.direction === 'up' ? m.up : m.down)) {
    const again: Step[] = [...clear, c.direction === 'up' ? ledgerUp(m) : ledgerDown(m)];
    options.push({
      id: 'retry',
      label: `Re-run: ${first}run ${what} again (${words.rerun})`,
      consequence: `Runs ${c.file?.file ?? 'the step'} again as a normal step, from its first statement. Right when the failed attempt left nothing behind${ev.committed === 'none' ? ' (as here)' : ''}${ev.failedAgain ? ' and the file is fixed' : ''}.`,
      warning,
      recommended: ev.committed === 'none',
      ...(confirm ? { confirm } : {}),
      steps: again,
    });
  }

  const missing = ev.committed === 'part' || ev.committed === 'unknown';
  const done: RecordStep =
    c.direction === 'up'
      ? { kind: 'record', version: c.version, name: c.name, action: 'applied', text: `record ${c.version} as applied without running it` }
      : { kind: 'record', version: c.version, name: c.name, action: 'reverted', text: `record ${c.version} as not applied without running its down SQL` };
  if (m || c.direction === 'down')
    options.push({
      id: 'mark-done',
      label: c.direction === 'up' ? `Mark applied: ${first}${words.markApplied}` : `Forget: ${first}${words.forget}`,
      consequence:
        `Tells ${words.tool}'s table that ${what} is complete. Ladder runs nothing; every statement of the step is assumed to have taken effect. ` +
        (ev.committed === 'all' ? 'The catalog shows its work in place, so this only records what is already true.' : 'Only right if you have finished its work by hand.'),
      warning:
        ev.committed === 'none'
          ? `None of ${what} is in the database now (checked just now), so this would record work that was never done as done. Do its work by hand first, or choose "re-run".`
          : missing
            ? `Not all of ${what} is known to be in the database now: finish what is missing by hand first.`
            : undefined,
      recommended: ev.committed === 'all',
      steps: [...clear, done],
    });

  const canUndo = c.direction === 'up' && m?.down && words.undoUnapplied && !failedRow;
  if (canUndo)
    options.push({
      id: 'undo',
      label: `Undo the partial work: run the down of ${c.version}`,
      consequence: `Runs the down SQL of ${c.version} against the half-applied schema to remove what the failed up created (${words.tool}'s table has no row for it, and keeps none after).`,
      warning:
        ev.committed === 'none'
          ? `Nothing of ${what} is in the database now, so its down would run against a schema that does not have what it expects and would probably fail. Re-running is the better way out.`
          : ev.committed === 'all'
            ? undefined
            : 'The down expects the complete result of the step; on a half-done one some of its statements may fail. Check the objects listed above.',
      recommended: ev.committed === 'part',
      steps: [ledgerDown(m!)],
    });

  options.push({
    id: 'leave',
    label: 'Leave it for now',
    consequence: `Changes nothing. ${c.direction === 'up' && !failedRow ? `${words.tool} still counts ${c.version} as pending, so its next run starts the step again from its first statement.` : `${words.tool}'s table stays as it is.`}`,
    recommended: ev.committed === 'unknown' || (ev.committed === 'part' && !canUndo),
    steps: [],
  });
  return options;
}
