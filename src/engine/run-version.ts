import { readFile } from 'node:fs/promises';
import { decodeMigration } from '../formats/bytes.js';
import { LadderError } from '../errors.js';
import { checkedText, unreadable } from './plan-files.js';
import type { DbState, MigrationFile, Queryable, Tracker } from '../formats/types.js';
import { NIL_VERSION } from '../formats/types.js';
import type { MigrationSession } from '../db/session.js';
import { fileShape, loadParser, type FileShape } from '../db/statements.js';
import { locateFailure } from './locate.js';
import type { Plan } from './plan-types.js';
import { JOURNAL_TABLE, type Journal, type StepRecord } from './journal.js';
import { bareTableName, stepSnapshotNames } from './insight/step-snapshot.js';
import { describeFailure, journalFailure, type StepWriter } from './run.js';
import { preparedSteps } from './prepared-steps.js';
import { redactSecrets } from '../redact.js';

export interface VersionWriterOptions {
  session: MigrationSession;
  tracker: Tracker;
  readBody?: (file: MigrationFile) => Promise<string>;
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

interface PreparedBody {
  sql: string | null;
  shape?: FileShape;
}

/**
 * The steps of a tool that tracks one version and a dirty flag, the way golang-migrate writes them: for
 * each step, record (target, dirty), send the whole file as one simple query, record (target, clean).
 *
 * One round trip per step: the dirty marker (and the journal's row) is committed in an explicit
 * transaction at the head of the query, the file follows unchanged, and the clean marker with the
 * journal's "ok" is appended after it, so they commit in the file's last transaction and never without
 * it. After a crash at any instant the database is either (target, dirty) with the journal row still
 * 'running' (the file's last transaction did not commit) or (target, clean) with 'ok': both states
 * golang-migrate also leaves. Files that cannot share a query (a single CONCURRENTLY statement, a file
 * PostgreSQL's parser rejects) are sent alone, as golang-migrate sends them, and the journal says so.
 */
export function versionWriter(plan: Plan, opts: VersionWriterOptions): StepWriter {
  const { session, tracker, journal } = opts;
  const db = session.client;
  // The text preflight checked, where it kept it (one read per file).
  const read = opts.readBody ?? (async (f: MigrationFile) => checkedText(plan, f) ?? readUtf8(f));
  let state: DbState = plan.from;
  // Whether the tracking table holds exactly the one row this run wrote (so it can be updated in place).
  let ownRow = false;
  // Whether the last commit was asynchronous (a stop must then flush it).
  let unflushed = false;
  // The bookkeeping statements around each file, prepared once the run holds the tracking table's one row.
  const bookkeeping = preparedSteps(tracker, journal);
  let preparable = true;
  const parserReady = plan.steps.some((s) => s.kind === 'migrate') ? loadParser() : undefined;
  parserReady?.catch(() => undefined);
  // Read and parse the next file while the current one runs (golang-migrate's prefetch).
  const bodies = new Map<number, Promise<PreparedBody> | undefined>([[0, prepare(plan.steps[0], read)]]);
  return {
    ownTables: [bareTableName(tracker.table), JOURNAL_TABLE],
    open: async () => undefined,
    begin: async () => void (await db.query(ASYNC_SESSION)),
    async stop() {
      if (unflushed) await db.query(`${DURABLE}BEGIN;${tracker.setVersionSql(state.version, state.dirty, ownRow)}COMMIT;`);
      return state;
    },
    async record(step) {
      if (step.kind === 'record') throw new LadderError(`This tool tracks one version: it has no "${step.action}" step.`);
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
    },
    async migrate(step, { index, last, pictures, starting }) {
      const body = bodies.get(index) ?? prepare(step, read);
      bodies.delete(index);
      bodies.set(index + 1, prepare(plan.steps[index + 1], read));
      // Read before marking dirty: an unreadable file must leave the database as it was.
      const prepared = body ? await body.catch((err) => Promise.reject(unreadable(step.file!.path, err))) : { sql: null };
      const sql = prepared.sql;
      const hasBody = sql !== null && sql.trim() !== '';
      const shape = prepared.shape;
      const joined = !hasBody || shape?.kind === 'joinable';
      // with-body: the whole file is one transaction and the 'ok' is in it; with-last-tx: the 'ok' is in the file's last transaction only.
      const doneWrite =
        !hasBody || (shape?.kind === 'joinable' && !shape.transactionControl) ? 'with-body' : shape?.kind === 'joinable' && shape.lastTx !== 'closed' ? 'with-last-tx' : 'after-body';
      // A file that may run DEALLOCATE or DISCARD (DISCARD TEMP drops the picture function): no picture, text
      // around it, and what it left of the session is looked at afterwards.
      const resets = hasBody && (shape?.kind === 'unparsed' || (shape?.kind === 'joinable' && shape.resetsSession === true));
      const snapshotNames = pictures && !resets ? await stepSnapshotNames(sql) : undefined;
      const record: StepRecord | undefined = journal
        ? { version: step.version, name: step.name, direction: step.direction, targetVersion: step.target, file: step.file?.path, body: sql, fromVersion: state.version, doneWrite, snapshotNames }
        : undefined;
      // The journal's row as text: what the prepared statement writes, for the text path and for settling a
      // failure; on a new connection without the picture, whose function belonged to the session that died.
      const start = (fresh = false) => (record ? journal!.startSql(fresh ? { ...record, snapshotNames: undefined } : record) : '');
      if (ownRow && preparable && !bookkeeping.ready) preparable = await bookkeeping.prepare(db, snapshotNames !== undefined && journal?.snapshotting === true);
      const fast = bookkeeping.ready && !resets;
      const dirty = `BEGIN;${fast && ownRow ? bookkeeping.dirty(step.target, record) : tracker.setVersionSql(step.target, true, ownRow) + start()}COMMIT;`;
      // A clean nil version is no row at all (golang-migrate's): the text deletes it.
      const clean = `${last ? DURABLE : ''}${
        fast && step.target !== NIL_VERSION ? bookkeeping.clean(step.target, snapshotNames) : tracker.setVersionSql(step.target, false, true) + (journal ? journal.finishSql(snapshotNames) : '')
      }`;
      if (resets) bookkeeping.forget();
      starting();
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
        const failure = journalFailure(error);
        const settleFailure = async (c: Queryable, fresh: boolean): Promise<DbState> => {
          const now = await tracker.readState(c);
          if (now.version === step.target && !now.dirty) return now; // the step committed before the connection died
          if (!(now.version === step.target && now.dirty)) {
            // The dirty marker never committed (PostgreSQL rejected the whole query, or the cancel came first):
            // leave the state golang-migrate leaves after a failed file, (target, dirty), and its journal row.
            await c.query(`BEGIN;${tracker.setVersionSql(step.target, true)}${start(fresh)}COMMIT;`);
          }
          if (journal) await journal.failRunning(c, failure);
          return tracker.readState(c);
        };
        // A dead connection cannot tell us anything: re-read the truth on a new one. Should settling fail, the
        // state is what a new connection reads, or, when none can, unknown: never the state it was meant to leave.
        const failedState = await (error.connectionLost ? session.withFreshConnection((c) => settleFailure(c, true)) : settleFailure(db, false)).catch(async (err: unknown) => {
          error.settleFailed = redactSecrets((err as Error).message ?? String(err));
          const now = await session.withFreshConnection((c) => tracker.readState(c)).catch(() => undefined);
          if (now) return now;
          error.stateUnknown = true;
          return state;
        });
        if (error.connectionLost && !failedState.dirty && failedState.version === step.target) error.committed = true;
        return { ok: false, error, state: failedState };
      }
      if (resets && journal?.snapshotting) journal.snapshotting = await journal.hasSnapshotFunction(db);
      ownRow = step.target !== NIL_VERSION;
      unflushed = !last;
      state = { version: step.target, dirty: false };
      return { ok: true };
    },
    finish: async () => state,
    close: async () => {
      await bookkeeping.release(db);
      await db.query('RESET synchronous_commit').catch(() => undefined);
    },
  };
}

function prepare(step: Plan['steps'][number] | undefined, read: (f: MigrationFile) => Promise<string>): Promise<PreparedBody> | undefined {
  if (!step || step.kind !== 'migrate' || !step.file) return undefined;
  const p = read(step.file).then(async (sql) => ({ sql, shape: sql.trim() === '' ? undefined : await fileShape(sql) }));
  p.catch(() => undefined); // surfaced when awaited
  return p;
}
