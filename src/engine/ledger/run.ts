import { redactSecrets } from '../../redact.js';
import { readFile } from 'node:fs/promises';
import type { AppliedMigration, FormatMigration, FormatTracker } from '../../formats/driver.js';
import type { DbState, Queryable } from '../../formats/types.js';
import type { MigrationSession } from '../../db/session.js';
import { LadderError } from '../../errors.js';
import { dropAllTables } from '../../db/drop.js';
import type { MigrateStep, Plan, RecordStep } from '../plan-types.js';
import type { StepError } from '../events.js';
import { describeFailure, journalFailure, type StepWriter } from '../run.js';
import { JOURNAL_TABLE, type Journal } from '../journal.js';
import { recordLabel } from '../plan.js';
import { bareTableName, stepSnapshotNames } from '../insight/step-snapshot.js';

export interface RowWriterOptions {
  session: MigrationSession;
  tracker: FormatTracker;
  /** The listing's migrations by key: what each step runs. */
  migrations: Map<string, FormatMigration>;
  /** Re-reads the state after a step fails or the connection is lost. */
  readState: (db: Queryable) => Promise<DbState>;
  /** Ladder's own record of each step, next to the tool's table (off with -no-journal). */
  journal?: Journal;
}

/**
 * The steps of a tool that tracks a set of applied migrations: each is the tool's own statements (its
 * tracker's applyUp / applyDown, with the row write in the same transaction where the tool puts it there).
 *
 * The tool's own transactions stay exactly the tool's, so the journal's rows commit beside them:
 * 'running' before the step, 'ok' after the tool's row write ('after-body'). After a crash between the
 * two, the tool's table says whether the step finished (its row write follows the body, or is in the
 * body's transaction).
 */
export function rowWriter(plan: Plan, opts: RowWriterOptions): StepWriter {
  const { session, tracker, journal } = opts;
  const db = session.client;
  // The tool's current version before each step, for the journal's from_version (unknown after a rollback).
  let version: string | undefined = plan.from.version;
  return {
    ownTables: [bareTableName(tracker.table), JOURNAL_TABLE],
    open: () => tracker.ensureTable(db), // before listening: its "already exists, skipping" notice is not the migration's
    begin: async () => undefined,
    stop: async (index) => (index > 0 ? opts.readState(db) : undefined),
    async record(step) {
      if (step.kind === 'force') throw new LadderError('"force" is not a step of this format\'s plans.');
      if (step.kind === 'drop') {
        await (tracker.clean ? tracker.clean(db) : dropAllTables(db));
        return;
      }
      await recordStep(db, tracker, step, opts.migrations);
      if (journal) await db.query(journal.startSql({ version: step.version, name: recordLabel(step), direction: 'force', targetVersion: step.version, fromVersion: version }, 'ok'));
    },
    async migrate(step, { pictures, starting }) {
      starting();
      const m = opts.migrations.get(step.version);
      if (!m) throw new LadderError(`No migration ${step.version} in the folder any more; nothing was run for it.`, 'The folder changed since the plan was made: review it again.');
      const sql = (step.direction === 'up' ? m.up : m.down)?.sql;
      const snapshotNames = pictures ? await stepSnapshotNames(sql) : undefined;
      if (journal) {
        const record = { version: step.version, name: step.name, direction: step.direction, targetVersion: step.target, file: step.file?.path, body: sql, fromVersion: version, doneWrite: 'after-body', snapshotNames } as const;
        await db.query(journal.startSql(record));
      }
      try {
        const timing = step.direction === 'up' ? await tracker.applyUp(db, m) : await tracker.applyDown(db, m);
        if (journal) await db.query(journal.finishSql(snapshotNames));
        if (step.direction === 'up' && m.version !== null) version = m.key;
        return { ok: true, durationNs: timing.durationNs };
      } catch (err) {
        if (err instanceof LadderError) {
          if (journal) await db.query(journal.discardSql()); // the tool's refusal before running anything: no step ran
          throw err;
        }
        const error = await inFile(describeFailure(err, sql ?? ''), step, sql ?? '');
        session.onNotice(undefined);
        const settle = async (c: Queryable) => {
          if (journal) await journal.failRunning(c, journalFailure(error));
          return opts.readState(c);
        };
        // Should settling fail, the state is what a new connection reads, or, when none can, unknown.
        const state = await (error.connectionLost ? session.withFreshConnection(settle) : settle(db)).catch(async (err: unknown) => {
          error.settleFailed = redactSecrets((err as Error).message ?? String(err));
          const now = await session.withFreshConnection((c) => opts.readState(c)).catch(() => undefined);
          if (now) return now;
          error.stateUnknown = true;
          return plan.from;
        });
        return { ok: false, error, state };
      }
    },
    finish: () => opts.readState(db),
    close: async () => undefined,
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
