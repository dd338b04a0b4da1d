import { readFile } from 'node:fs/promises';
import { decodeMigration } from '../formats/bytes.js';
import { LadderError } from '../errors.js';
import { checkedText, preflight, unreadable } from './plan-files.js';
import type { DbState, MigrationFile, Queryable, Tracker } from '../formats/types.js';
import { NIL_VERSION } from '../formats/types.js';
import type { MigrationSession } from '../db/session.js';
import { positionToLineColumn } from '../db/error-position.js';
import { fileShape, loadParser, type FileShape } from '../db/statements.js';
import { locateFailure } from './locate.js';
import type { MigrateStep, Plan } from './plan.js';
import type { RunEvent, RunOutcome, StepError } from './events.js';
import { JOURNAL_TABLE, type Journal } from './journal.js';
import { bareTableName, stepSnapshotNames } from './insight/step-snapshot.js';

export { preflight };

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

// Strict: bytes that are not UTF-8 are refused, never replaced with U+FFFD (checked for every file in preflight).
const readUtf8 = async (file: MigrationFile) => decodeMigration(await readFile(file.path), file.path);

// Durability: while a plan runs, the session commits without waiting for its WAL flush
// (synchronous_commit = off), and the last step commits with the server's setting restored. WAL is
// written in order, so that final synchronous commit also flushes every earlier commit; a server crash
// before it can only lose a suffix of the history (at most ~200 ms, the WAL writer's delay), which
// leaves a state golang-migrate could also have left. The final state is durable.
const ASYNC_SESSION = 'SET synchronous_commit TO off';
const DURABLE = 'RESET synchronous_commit;';
export const PICTURE_LIMIT = 100;

interface PreparedBody {
  sql: string | null;
  shape?: FileShape;
}

/**
 * Executes a plan the way golang-migrate does: for each step, record (target, dirty), send the whole
 * file as one simple query, record (target, clean). The caller holds the advisory lock.
 *
 * One round trip per step: the dirty marker (and the journal's row) is committed in an explicit
 * transaction at the head of the query, the file follows unchanged, and the clean marker with the
 * journal's "ok" is appended after it, so they commit in the file's last transaction and never without
 * it. After a crash at any instant the database is either (target, dirty) with the journal row still
 * 'running' (the file's last transaction did not commit) or (target, clean) with 'ok': both states
 * golang-migrate also leaves. Files that cannot share a query (a single CONCURRENTLY statement, a file
 * PostgreSQL's parser rejects) are sent alone, as golang-migrate sends them, and the journal says so.
 */
export async function runPlan(plan: Plan, opts: RunOptions): Promise<RunOutcome> {
  const { session, tracker } = opts;
  preflight(plan);
  const emit = opts.emit ?? (() => undefined);
  const control = opts.control ?? { stopRequested: false };
  // The text preflight checked, where it kept it (one read per file).
  const read = opts.readBody ?? (async (f: MigrationFile) => checkedText(plan, f) ?? readUtf8(f));
  const db = session.client;
  let state: DbState = plan.from;
  let current: MigrateStep | undefined;
  const journal = opts.journal;
  const parserReady = plan.steps.some((s) => s.kind === 'migrate') ? loadParser() : undefined;
  parserReady?.catch(() => undefined);
  if (journal) {
    await journal.ensureTable(db, [bareTableName(tracker.table), JOURNAL_TABLE]);
    await journal.settleInterrupted(db); // we hold the lock: any 'running' row belongs to a Ladder that is gone
  }
  session.onNotice((notice) => emit({ type: 'notice', notice, step: current }));
  await db.query(ASYNC_SESSION);
  if (opts.statementTimeoutMs) await db.query(`SET statement_timeout = ${Math.trunc(opts.statementTimeoutMs)}`);
  const total = plan.steps.length;
  // Schema pictures (before/after each step, for `ladder diff`) cost a few ms a step: taken for runs of
  // up to PICTURE_LIMIT steps, so a bulk apply keeps its speed (README: Schema insight).
  const pictures = !!journal?.snapshotting && plan.steps.filter((s) => s.kind === 'migrate').length <= PICTURE_LIMIT;
  // Whether the tracking table holds exactly the one row this run wrote (so it can be updated in place).
  let ownRow = false;
  // Whether the last commit was asynchronous (a stop must then flush it).
  let unflushed = false;
  // Read and parse the next file while the current one runs (golang-migrate's prefetch).
  let nextBody = prepare(plan.steps[0], read);
  try {
    for (let index = 0; index < total; index++) {
      const step = plan.steps[index]!;
      const body = nextBody;
      nextBody = prepare(plan.steps[index + 1], read);
      const last = index === total - 1;
      if (control.stopRequested) {
        if (unflushed) await db.query(`${DURABLE}BEGIN;${tracker.setVersionSql(state.version, state.dirty, ownRow)}COMMIT;`);
        emit({ type: 'stopped', completed: index, remaining: total - index });
        return { status: 'stopped', completed: index, state };
      }
      const started = process.hrtime.bigint();
      if (step.kind === 'record') throw new LadderError(`golang-migrate has no "${step.action}" step.`);
      if (step.kind === 'force' || step.kind === 'drop') {
        emit({ type: 'step-start', step, index, total });
        await db.query(DURABLE); // force and drop are rare, deliberate acts: commit them durably
        if (step.kind === 'force') {
          const record = journal ? journal.startSql({ version: step.version, name: '', direction: 'force', targetVersion: step.version, fromVersion: state.version }, 'ok') : '';
          await db.query(`BEGIN;${tracker.setVersionSql(step.version, false)}${record}COMMIT;`);
          ownRow = step.version !== NIL_VERSION;
          state = { version: step.version, dirty: false };
        } else {
          await tracker.drop(db);
          ownRow = false;
          state = { version: NIL_VERSION, dirty: false };
        }
        await db.query(ASYNC_SESSION);
        unflushed = false;
        emit({ type: 'step-done', step, index, durationNs: process.hrtime.bigint() - started });
        continue;
      }
      // Read before marking dirty: an unreadable file must leave the database as it was.
      const prepared = body ? await body.catch((err) => Promise.reject(unreadable(step.file!.path, err))) : { sql: null };
      const sql = prepared.sql;
      const hasBody = sql !== null && sql.trim() !== '';
      const shape = prepared.shape;
      const joined = !hasBody || shape?.kind === 'joinable';
      // with-body: the whole file is one transaction and the 'ok' is in it; with-last-tx: the 'ok' is in the file's last transaction only.
      const doneWrite =
        !hasBody || (shape?.kind === 'joinable' && !shape.transactionControl) ? 'with-body' : shape?.kind === 'joinable' && shape.lastTx !== 'closed' ? 'with-last-tx' : 'after-body';
      const snapshotNames = pictures ? await stepSnapshotNames(sql) : undefined;
      const start = journal
        ? journal.startSql({ version: step.version, name: step.name, direction: step.direction, targetVersion: step.target, file: step.file?.path, body: sql, fromVersion: state.version, doneWrite, snapshotNames })
        : '';
      const dirty = `BEGIN;${tracker.setVersionSql(step.target, true, ownRow)}${start}COMMIT;`;
      const clean = `${last ? DURABLE : ''}${tracker.setVersionSql(step.target, false, true)}${journal ? journal.finishSql(snapshotNames) : ''}`;
      emit({ type: 'step-start', step, index, total });
      current = step;
      let offset = 0;
      try {
        if (!hasBody) await db.query(`${dirty}BEGIN;${clean}COMMIT;`);
        else if (joined) {
          // A newline first: a file may end in a -- comment. An open BEGIN of the file's own is committed
          // after the markers, as golang-migrate's next write (BEGIN, which PostgreSQL ignores, ..., COMMIT) commits it.
          const open = shape?.kind === 'joinable' && shape.lastTx === 'open';
          offset = [...dirty].length;
          await db.query(`${dirty}${sql}\n;${clean}${open ? 'COMMIT;' : ''}`);
        } else {
          await db.query(dirty);
          ownRow = true;
          state = { version: step.target, dirty: true };
          await db.query(sql!);
          offset = -1;
          await db.query(`BEGIN;${clean}COMMIT;`);
        }
      } catch (err) {
        const error = describeFailure(err, offset === -1 ? '' : sql ?? '', Math.max(0, offset));
        // A file with its own BEGIN that failed leaves the session inside an aborted transaction.
        session.onNotice(undefined);
        if (!error.connectionLost) await db.query(`ROLLBACK;${DURABLE}`).catch(() => undefined);
        if (error.line === undefined && !error.connectionLost && !error.cancelled && !error.inBookkeeping && hasBody) {
          const at = await locateFailure(db, sql!, error).catch(() => undefined);
          if (at) Object.assign(error, { line: at.line, column: at.column, locatedBy: at.by });
        } else if (error.line !== undefined) error.locatedBy = 'position';
        const failure = { outcome: error.connectionLost ? 'interrupted' : error.cancelled ? 'cancelled' : 'failed', error: error.message, line: error.line, column: error.column, sqlstate: error.code } as const;
        const settleFailure = async (c: Queryable): Promise<DbState> => {
          const now = await tracker.readState(c);
          if (now.version === step.target && !now.dirty) return now; // the step committed before the connection died
          if (!(now.version === step.target && now.dirty)) {
            // The dirty marker never committed (PostgreSQL rejected the whole query, or the cancel came first):
            // leave the state golang-migrate leaves after a failed file, (target, dirty), and its journal row.
            await c.query(`BEGIN;${tracker.setVersionSql(step.target, true)}${start}COMMIT;`);
          }
          if (journal) await journal.failRunning(c, failure);
          return tracker.readState(c);
        };
        // A dead connection cannot tell us anything: re-read the truth on a new one.
        const failedState = await (error.connectionLost ? session.withFreshConnection(settleFailure) : settleFailure(db)).catch(() => ({ version: step.target, dirty: true }));
        if (error.connectionLost && !failedState.dirty && failedState.version === step.target) error.committed = true;
        emit({ type: 'step-failed', step, index, error, durationNs: process.hrtime.bigint() - started });
        return { status: 'failed', completed: index, state: failedState, error, step };
      }
      current = undefined;
      ownRow = step.target !== NIL_VERSION;
      unflushed = !last;
      state = { version: step.target, dirty: false };
      emit({ type: 'step-done', step, index, durationNs: process.hrtime.bigint() - started });
    }
    emit({ type: 'finished', state });
    return { status: 'ok', completed: total, state };
  } finally {
    session.onNotice(undefined);
    await db.query('RESET synchronous_commit').catch(() => undefined);
    if (opts.statementTimeoutMs) await db.query('RESET statement_timeout').catch(() => undefined);
  }
}

function prepare(step: Plan['steps'][number] | undefined, read: (f: MigrationFile) => Promise<string>): Promise<PreparedBody> | undefined {
  if (!step || step.kind !== 'migrate' || !step.file) return undefined;
  const p = read(step.file).then(async (sql) => ({ sql, shape: sql.trim() === '' ? undefined : await fileShape(sql) }));
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

/** `offset`: characters Ladder sent before the file in the same query (PostgreSQL's position counts them). */
export function describeFailure(err: unknown, sql: string, offset = 0): StepError {
  const e = err as PgErrorLike;
  // Admin/crash shutdown (57P01-57P03), connection exceptions (08xxx), or the socket itself going away.
  const connectionLost = /^(57P0[123]|08)/.test(e.code ?? '') || (!e.code && /terminat|ECONNRESET|EPIPE|closed|Connection/i.test(e.message ?? ''));
  const cancelled = e.code === '57014' && /user request/.test(e.message ?? '');
  const position = e.position ? Number(e.position) - offset : undefined;
  const lc = position !== undefined && position >= 1 ? positionToLineColumn(sql, position) : null;
  // A position past the file's end (or before it) is in Ladder's own statements around it.
  const inBookkeeping = position !== undefined && lc === null;
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
    sql,
    ...(inBookkeeping ? { inBookkeeping } : {}),
  };
}
