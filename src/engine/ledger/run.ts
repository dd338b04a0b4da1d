import { readFile } from 'node:fs/promises';
import type { AppliedMigration, FormatMigration, FormatTracker } from '../../formats/driver.js';
import type { DbState, Queryable } from '../../formats/types.js';
import type { MigrationSession } from '../../db/session.js';
import { LadderError } from '../../errors.js';
import { dropAllTables } from '../../db/drop.js';
import type { MigrateStep, Plan, RecordStep } from '../plan.js';
import type { RunEvent, RunOutcome, StepError } from '../events.js';
import type { RunControl } from '../run.js';
import { describeFailure, preflight } from '../run.js';
import type { Journal } from '../journal.js';
import { recordLabel } from '../plan.js';

export interface LedgerRunOptions {
  session: MigrationSession;
  tracker: FormatTracker;
  /** The listing's migrations by key: what each step runs. */
  migrations: Map<string, FormatMigration>;
  /** Re-reads the state after a step fails or the connection is lost. */
  readState: (db: Queryable) => Promise<DbState>;
  emit?: (e: RunEvent) => void;
  control?: RunControl;
  statementTimeoutMs?: number;
  /** Ladder's own record of each step, next to the tool's table (off with -no-journal). */
  journal?: Journal;
}

/**
 * Executes a plan for a set-tracking tool: each step is the tool's own statements (its tracker's
 * applyUp / applyDown, with the row write in the same transaction where the tool puts it there). The
 * caller holds the lock. A failure stops the plan; the state is re-read so the caller shows the truth.
 */
export async function runLedgerPlan(plan: Plan, opts: LedgerRunOptions): Promise<RunOutcome> {
  const { session, tracker } = opts;
  await preflight(plan);
  const emit = opts.emit ?? (() => undefined);
  const control = opts.control ?? { stopRequested: false };
  const db = session.client;
  let current: MigrateStep | RecordStep | undefined;
  await tracker.ensureTable(db); // before listening: its "already exists, skipping" notice is not the migration's
  const journal = opts.journal && stepJournal(opts.journal, db);
  await journal?.open();
  session.onNotice((notice) => emit({ type: 'notice', notice, step: current }));
  if (opts.statementTimeoutMs) await db.query(`SET statement_timeout = ${Math.trunc(opts.statementTimeoutMs)}`);
  const total = plan.steps.length;
  // The tool's current version before each step, for the journal's from_version (unknown after a rollback).
  let version: string | undefined = plan.from.version;
  try {
    for (let index = 0; index < total; index++) {
      const step = plan.steps[index]!;
      if (index > 0 && control.stopRequested) {
        const state = await opts.readState(db);
        emit({ type: 'stopped', completed: index, remaining: total - index });
        return { status: 'stopped', completed: index, state };
      }
      const started = process.hrtime.bigint();
      emit({ type: 'step-start', step, index, total });
      if (step.kind === 'force') throw new LadderError('"force" is not a step of this format\'s plans.');
      if (step.kind === 'drop') {
        await (tracker.clean ? tracker.clean(db) : dropAllTables(db));
        emit({ type: 'step-done', step, index, durationNs: process.hrtime.bigint() - started });
        continue;
      }
      if (step.kind === 'record') {
        await recordStep(db, tracker, step, opts.migrations);
        await journal?.recorded(step, version);
        emit({ type: 'step-done', step, index, durationNs: process.hrtime.bigint() - started });
        continue;
      }
      const m = opts.migrations.get(step.version);
      if (!m) throw new LadderError(`No migration ${step.version} in the folder any more; nothing was run for it.`, 'The folder changed since the plan was made: review it again.');
      current = step;
      const sql = (step.direction === 'up' ? m.up : m.down)?.sql;
      await journal?.start(step, sql, version);
      try {
        const timing = step.direction === 'up' ? await tracker.applyUp(db, m) : await tracker.applyDown(db, m);
        current = undefined;
        await journal?.finish();
        if (step.direction === 'up' && m.version !== null) version = m.key;
        emit({ type: 'step-done', step, index, durationNs: timing.durationNs });
      } catch (err) {
        current = undefined;
        if (err instanceof LadderError) {
          await journal?.discard(); // the tool's refusal before running anything: no step ran
          throw err;
        }
        const error = await inFile(describeFailure(err, sql ?? ''), step, sql ?? '');
        session.onNotice(undefined);
        const settle = async (c: Queryable) => {
          await journal?.fail(c, error);
          return opts.readState(c);
        };
        const state = await (error.connectionLost ? session.withFreshConnection(settle) : settle(db)).catch(() => plan.from);
        emit({ type: 'step-failed', step, index, error, durationNs: process.hrtime.bigint() - started });
        return { status: 'failed', completed: index, state, error, step };
      }
    }
    const state = await opts.readState(db);
    emit({ type: 'finished', state });
    return { status: 'ok', completed: total, state };
  } finally {
    session.onNotice(undefined);
    if (opts.statementTimeoutMs) await db.query('RESET statement_timeout').catch(() => undefined);
  }
}

/**
 * Every journal write of a set-tracking tool's run, in one place. The tool's own transactions stay
 * exactly the tool's, so the journal's rows commit beside them: 'running' before the step, 'ok' after
 * the tool's row write ('after-body'). After a crash between the two, the tool's table says whether the
 * step finished (its row write follows the body, or is in the body's transaction).
 */
function stepJournal(journal: Journal, db: Queryable) {
  return {
    async open() {
      await journal.ensureTable(db);
      await journal.settleInterrupted(db); // the caller holds the lock: a 'running' row belongs to a Ladder that is gone
    },
    async start(step: MigrateStep, body: string | undefined, from: string | undefined) {
      const record = { version: step.version, name: step.name, direction: step.direction, targetVersion: step.target, file: step.file?.path, body, fromVersion: from, doneWrite: 'after-body' } as const;
      await db.query(journal.startSql(record));
    },
    finish: () => db.query(journal.finishSql()),
    discard: () => db.query(journal.discardSql()),
    fail: (c: Queryable, error: StepError) =>
      journal.failRunning(c, {
        outcome: error.connectionLost ? 'interrupted' : error.cancelled ? 'cancelled' : 'failed',
        error: error.message,
        line: error.line,
        column: error.column,
        sqlstate: error.code,
      }),
    async recorded(step: RecordStep, from: string | undefined) {
      await db.query(journal.startSql({ version: step.version, name: recordLabel(step), direction: 'force', targetVersion: step.version, fromVersion: from }, 'ok'));
    },
  };
}

async function recordStep(db: Queryable, tracker: FormatTracker, step: RecordStep, migrations: Map<string, FormatMigration>): Promise<void> {
  const m = migrations.get(step.version) ?? (await rowMigration(db, tracker, step.version));
  switch (step.action) {
    case 'applied':
      return tracker.recordApplied(db, m);
    case 'reverted':
      return tracker.recordReverted(db, m);
    default:
      return tracker.repair(db, { kind: step.action, key: step.version, text: step.text }, migrations.get(step.version));
  }
}

/** A migration whose file is gone, rebuilt from its row (for forget). */
async function rowMigration(db: Queryable, tracker: FormatTracker, key: string): Promise<FormatMigration> {
  const row: AppliedMigration | undefined = (await tracker.readApplied(db)).find((r) => r.key === key);
  if (!row) throw new LadderError(`${tracker.table} has no row for ${key}.`);
  return { key, version: row.version, description: row.description ?? '', kind: row.version === null ? 'repeatable' : 'versioned' };
}

/** A section's line (dbmate runs one section of a file) as a line of the file the user edits. */
async function inFile(error: StepError, step: MigrateStep, sql: string): Promise<StepError> {
  if (error.line === undefined || !step.file) return error;
  const text = await readFile(step.file.path, 'utf8').catch(() => '');
  const at = text.indexOf(sql);
  if (at <= 0) return error;
  const offset = text.slice(0, at).split('\n').length - 1;
  return { ...error, line: error.line + offset };
}
