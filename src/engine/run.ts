import { access, constants, readFile, stat } from 'node:fs/promises';
import { LadderError } from '../errors.js';
import type { DbState, MigrationFile, Tracker } from '../formats/types.js';
import { NIL_VERSION } from '../formats/types.js';
import type { MigrationSession } from '../db/session.js';
import { positionToLineColumn } from '../db/error-position.js';
import type { MigrateStep, Plan } from './plan.js';
import type { RunEvent, RunOutcome, StepError } from './events.js';
import { JOURNAL_TABLE, type Journal } from './journal.js';
import { bareTableName, stepSnapshotNames } from './insight/step-snapshot.js';

export interface RunControl {
  /** Set to stop after the step that is running (the first ctrl-c). */
  stopRequested: boolean;
}

export interface RunOptions {
  session: MigrationSession;
  tracker: Tracker;
  emit?: (e: RunEvent) => void;
  control?: RunControl;
  /** golang-migrate's x-statement-timeout, applied to migration bodies only. */
  statementTimeoutMs?: number;
  readBody?: (file: MigrationFile) => Promise<string>;
  /** Ladder's own record of each step (off with -no-journal). */
  journal?: Journal;
}

const readUtf8 = (file: MigrationFile) => readFile(file.path, 'utf8');

// Durability: while a plan runs, the session commits without waiting for its WAL flush
// (synchronous_commit = off), and the last marker is committed with the server's setting restored.
// WAL is written in order, so that final synchronous commit also flushes every earlier commit; a
// server crash before it can only lose a suffix of the history (at most ~200 ms, the WAL writer's
// delay), which leaves a state golang-migrate could also have left. The final state is durable.
const ASYNC_SESSION = 'SET synchronous_commit TO off';
const DURABLE = 'RESET synchronous_commit;';

/**
 * Executes a plan the way golang-migrate does: for each step, record (target, dirty), send the whole
 * file as one simple query, record (target, clean). The caller holds the advisory lock.
 */
export async function runPlan(plan: Plan, opts: RunOptions): Promise<RunOutcome> {
  const { session, tracker } = opts;
  await preflight(plan);
  const emit = opts.emit ?? (() => undefined);
  const control = opts.control ?? { stopRequested: false };
  const read = opts.readBody ?? readUtf8;
  const db = session.client;
  let state: DbState = plan.from;
  let current: MigrateStep | undefined;
  const journal = opts.journal;
  if (journal) {
    await journal.ensureTable(db, [bareTableName(tracker.table), JOURNAL_TABLE]);
    await journal.settleInterrupted(db); // we hold the lock: any 'running' row belongs to a Ladder that is gone
  }
  session.onNotice((notice) => emit({ type: 'notice', notice, step: current }));
  await db.query(ASYNC_SESSION);
  if (opts.statementTimeoutMs) await db.query(`SET statement_timeout = ${Math.trunc(opts.statementTimeoutMs)}`);
  const total = plan.steps.length;
  // A finished step's clean marker is sent together with the next step's dirty marker: two commits
  // in one round trip, the same sequence of states golang-migrate writes. Its step-done is emitted
  // only once that marker is committed.
  // bodyNs: the body's own time, reported when schema pictures ride along (so they do not inflate it).
  let pending: { sql: string; step: MigrateStep; index: number; started: bigint; bodyNs?: bigint } | undefined;
  // Whether the tracking table holds exactly the one row this run wrote (so it can be updated in place).
  let ownRow = false;
  const settle = (extra: string, durableCommit: boolean) => {
    const clean = pending ? `${durableCommit ? DURABLE : ''}BEGIN;${pending.sql}COMMIT;` : '';
    return db.query(clean + extra);
  };
  const donePending = () => {
    if (!pending) return;
    state = { version: pending.step.target, dirty: false };
    emit({ type: 'step-done', step: pending.step, index: pending.index, durationNs: pending.bodyNs ?? process.hrtime.bigint() - pending.started });
    pending = undefined;
  };
  // Read the next file while the current one runs (golang-migrate's prefetch).
  let nextBody: Promise<string | null> | undefined = bodyOf(plan.steps[0], read);
  try {
    for (let index = 0; index < total; index++) {
      const step = plan.steps[index]!;
      const body = nextBody;
      nextBody = bodyOf(plan.steps[index + 1], read);
      if (control.stopRequested) {
        if (pending) {
          await settle('', true);
          donePending();
        }
        emit({ type: 'stopped', completed: index, remaining: total - index });
        return { status: 'stopped', completed: index, state };
      }
      const started = process.hrtime.bigint();
      if (step.kind === 'record') throw new LadderError(`golang-migrate has no "${step.action}" step.`);
      if (step.kind === 'force' || step.kind === 'drop') {
        if (pending) {
          await settle('', false);
          donePending();
        }
        emit({ type: 'step-start', step, index, total });
        await db.query(DURABLE); // force and drop are rare, deliberate acts: commit them durably
        if (step.kind === 'force') {
          const record = journal ? journal.startSql({ version: step.version, name: '', direction: 'force', targetVersion: step.version }, 'ok') : '';
          await db.query(`BEGIN;${tracker.setVersionSql(step.version, false)}${record}COMMIT;`);
          ownRow = step.version !== NIL_VERSION;
          state = { version: step.version, dirty: false };
        } else {
          await tracker.drop(db);
          ownRow = false;
          state = { version: NIL_VERSION, dirty: false };
        }
        await db.query(ASYNC_SESSION);
        emit({ type: 'step-done', step, index, durationNs: process.hrtime.bigint() - started });
        continue;
      }
      // Read before marking dirty: an unreadable file must leave the database as it was.
      const sql = body ? await body.catch((err) => Promise.reject(unreadable(step.file!.path, err))) : null;
      // The touched objects' catalog, before and after, rides along in the journal's own writes (no extra round trip).
      const snapshotNames = journal?.snapshotting ? await stepSnapshotNames(sql) : undefined;
      const start = journal
        ? journal.startSql({ version: step.version, name: step.name, direction: step.direction, targetVersion: step.target, file: step.file?.path, body: sql, snapshotNames })
        : '';
      // The dirty marker is the query's trailing statements: PostgreSQL commits them as one implicit transaction.
      const marked = await settle(`${tracker.setVersionSql(step.target, true, ownRow)}${start}`, false);
      ownRow = true;
      donePending();
      emit({ type: 'step-start', step, index, total });
      current = step;
      const journalId = journal ? returnedId(marked) : undefined;
      state = { version: step.target, dirty: true };
      const bodyStarted = process.hrtime.bigint();
      if (sql !== null && sql !== undefined && sql.trim() !== '') {
        try {
          await db.query(sql);
        } catch (err) {
          const error = describeFailure(err, sql);
          // A file with its own BEGIN that failed leaves the session inside an aborted transaction.
          session.onNotice(undefined);
          // Leave the aborted transaction, and make the dirty marker and the journal row durable.
          if (!error.connectionLost) await db.query(`ROLLBACK;${DURABLE}`).catch(() => undefined);
          const failure = { outcome: error.connectionLost ? 'interrupted' : error.cancelled ? 'cancelled' : 'failed', error: error.message, line: error.line, column: error.column, sqlstate: error.code } as const;
          // A dead connection cannot tell us anything: re-read the truth on a new one.
          const failedState = await (error.connectionLost
            ? session.withFreshConnection(async (c) => {
                if (journal && journalId !== undefined) await journal.fail(c, journalId, failure);
                return tracker.readState(c);
              })
            : (async () => {
                if (journal && journalId !== undefined) await journal.fail(db, journalId, failure);
                return tracker.readState(db);
              })()
          ).catch(() => state);
          emit({ type: 'step-failed', step, index, error, durationNs: process.hrtime.bigint() - started });
          return { status: 'failed', completed: index, state: failedState, error, step };
        }
      }
      current = undefined;
      const finish = journal && journalId !== undefined ? journal.finishSql(journalId, snapshotNames) : '';
      const bodyNs = snapshotNames !== undefined ? process.hrtime.bigint() - bodyStarted : undefined;
      pending = { sql: tracker.setVersionSql(step.target, false, ownRow) + finish, step, index, started, bodyNs };
      ownRow = step.target !== NIL_VERSION;
    }
    if (pending) {
      await settle('', true); // the last marker commits durably, flushing every earlier one
      donePending();
    }
    emit({ type: 'finished', state });
    return { status: 'ok', completed: total, state };
  } finally {
    session.onNotice(undefined);
    await db.query('RESET synchronous_commit').catch(() => undefined);
    if (opts.statementTimeoutMs) await db.query('RESET statement_timeout').catch(() => undefined);
  }
}

/** Checks every file a plan will run can be read, so a bad file is reported before anything runs. */
export async function preflight(plan: Plan): Promise<void> {
  for (const step of plan.steps) {
    if (step.kind !== 'migrate' || !step.file) continue;
    try {
      await access(step.file.path, constants.R_OK);
      if (!(await stat(step.file.path)).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    } catch (err) {
      throw unreadable(step.file.path, err);
    }
  }
}

function unreadable(path: string, err: unknown): LadderError {
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ENOENT' ? 'it does not exist (a broken symlink?)' : e.code === 'EACCES' ? 'permission denied' : e.message;
  return new LadderError(`Cannot read migration file ${path}: ${why}.`, 'Nothing was run. Fix the file (or its permissions) and try again.');
}

/** The id a multi-statement query's INSERT ... RETURNING id produced. */
function returnedId(result: unknown): number | undefined {
  const results = Array.isArray(result) ? result : [result];
  for (const r of results as { rows?: { id?: unknown }[] }[]) if (r.rows?.[0]?.id !== undefined) return Number(r.rows[0].id);
  return undefined;
}

function bodyOf(step: Plan['steps'][number] | undefined, read: (f: MigrationFile) => Promise<string>): Promise<string | null> | undefined {
  if (!step || step.kind !== 'migrate' || !step.file) return undefined;
  const p = read(step.file);
  p.catch(() => undefined); // surfaced when awaited
  return p;
}

interface PgErrorLike {
  message?: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
}

export function describeFailure(err: unknown, sql: string): StepError {
  const e = err as PgErrorLike;
  // Admin/crash shutdown (57P01-57P03), connection exceptions (08xxx), or the socket itself going away.
  const connectionLost = /^(57P0[123]|08)/.test(e.code ?? '') || (!e.code && /terminat|ECONNRESET|EPIPE|closed|Connection/i.test(e.message ?? ''));
  const cancelled = e.code === '57014' && /user request/.test(e.message ?? '');
  const lc = e.position ? positionToLineColumn(sql, Number(e.position)) : null;
  const message = e.message ?? String(err);
  let head = `migration failed: ${message}`;
  if (lc) head += ` (column ${lc.column})`;
  if (e.detail) head += `, ${e.detail}`;
  const text = `${head} in line ${lc?.line ?? 0}: ${sql} (details: pq: ${message})`;
  return {
    message,
    code: e.code,
    detail: e.detail,
    hint: e.hint,
    line: lc?.line,
    column: lc?.column,
    cancelled,
    connectionLost,
    text,
  };
}
