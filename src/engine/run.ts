import type { DbState } from '../formats/types.js';
import type { MigrationSession } from '../db/session.js';
import { positionToLineColumn } from '../db/error-position.js';
import { preflight } from './plan-files.js';
import type { DropStep, ForceStep, MigrateStep, Plan, RecordStep } from './plan-types.js';
import type { RunEvent, RunOutcome, StepError } from './events.js';
import type { Journal, StepFailure } from './journal.js';

export { preflight };

export interface RunControl {
  /** Set to stop after the step that is running (the first ctrl-c). */
  stopRequested: boolean;
}

/** Schema pictures (before/after each step, for `ladder diff`) cost a few ms a step: taken for runs of up to this many steps. */
export const PICTURE_LIMIT = 100;

/** What one migration step came to; a failure is already settled (tracking table and journal) when it is returned. */
export type StepResult = { ok: true; durationNs?: bigint } | { ok: false; error: StepError; state: DbState };

/**
 * How a tracking model writes a plan's steps (run-version.ts: golang-migrate's markers around the body;
 * ledger/run.ts: the tool's own statements, row write included). The loop in {@link runPlan} is the same
 * for every tool: the order of events, stops, notices, the journal, the schema pictures.
 */
export interface StepWriter {
  /** Before the first step and before the journal is made ready: the tool's own table. */
  open(): Promise<void>;
  /** Once the journal is ready and notices are listened to: session settings for the run. */
  begin(): Promise<void>;
  /** The tables a schema picture leaves out (the tool's own and the journal). */
  ownTables: string[];
  /** A stop was asked for before step `index`: the state to report (made durable), or undefined to go on. */
  stop(index: number): Promise<DbState | undefined>;
  /** force, drop and record steps (no migration SQL). */
  record(step: ForceStep | DropStep | RecordStep): Promise<void>;
  /** Runs one migration step; `starting` is called once its body is read, just before anything is written. */
  migrate(step: MigrateStep, at: { index: number; last: boolean; pictures: boolean; starting: () => void }): Promise<StepResult>;
  /** The state after the last step. */
  finish(): Promise<DbState>;
  /** Session settings back as they were (also after a failure). */
  close(): Promise<void>;
}

export interface RunOptions {
  session: MigrationSession;
  writer: StepWriter;
  emit?: (e: RunEvent) => void;
  control?: RunControl;
  /** x-statement-timeout / the tool's statement timeout, applied to migration bodies only. */
  statementTimeoutMs?: number;
  /** Ladder's own record of each step (off with -no-journal). */
  journal?: Journal;
}

/**
 * Executes a plan, one step after the other, through the tool's {@link StepWriter}; the caller holds the
 * lock. A failure stops the plan with the state re-read, so the caller shows the truth.
 */
export async function runPlan(plan: Plan, opts: RunOptions): Promise<RunOutcome> {
  const { session, writer, journal } = opts;
  preflight(plan);
  const emit = opts.emit ?? (() => undefined);
  const control = opts.control ?? { stopRequested: false };
  const db = session.client;
  let current: MigrateStep | RecordStep | undefined;
  await writer.open();
  if (journal) {
    await journal.ensureTable(db, writer.ownTables);
    await journal.settleInterrupted(db); // we hold the lock: any 'running' row belongs to a Ladder that is gone
  }
  session.onNotice((notice) => emit({ type: 'notice', notice, step: current }));
  await writer.begin();
  if (opts.statementTimeoutMs) await db.query(`SET statement_timeout = ${Math.trunc(opts.statementTimeoutMs)}`);
  const total = plan.steps.length;
  // A bulk apply keeps its speed (README: Schema insight).
  const pictures = !!journal?.snapshotting && plan.steps.filter((s) => s.kind === 'migrate').length <= PICTURE_LIMIT;
  try {
    for (let index = 0; index < total; index++) {
      const step = plan.steps[index]!;
      if (control.stopRequested) {
        const state = await writer.stop(index);
        if (state) {
          emit({ type: 'stopped', completed: index, remaining: total - index });
          return { status: 'stopped', completed: index, state };
        }
      }
      const started = process.hrtime.bigint();
      if (step.kind !== 'migrate') {
        emit({ type: 'step-start', step, index, total });
        await writer.record(step);
        emit({ type: 'step-done', step, index, durationNs: process.hrtime.bigint() - started });
        continue;
      }
      const starting = () => {
        emit({ type: 'step-start', step, index, total });
        current = step;
      };
      const result = await writer.migrate(step, { index, last: index === total - 1, pictures, starting });
      current = undefined;
      if (!result.ok) {
        emit({ type: 'step-failed', step, index, error: result.error, durationNs: process.hrtime.bigint() - started });
        return { status: 'failed', completed: index, state: result.state, error: result.error, step };
      }
      emit({ type: 'step-done', step, index, durationNs: result.durationNs ?? process.hrtime.bigint() - started });
    }
    const state = await writer.finish();
    emit({ type: 'finished', state });
    return { status: 'ok', completed: total, state };
  } finally {
    session.onNotice(undefined);
    await writer.close();
    if (opts.statementTimeoutMs) await db.query('RESET statement_timeout').catch(() => undefined);
  }
}

/** How the journal records a failed step. */
export function journalFailure(error: StepError): StepFailure {
  return {
    outcome: error.connectionLost ? 'interrupted' : error.cancelled ? 'cancelled' : 'failed',
    error: error.message,
    line: error.line,
    column: error.column,
    sqlstate: error.code,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(error.hint ? { hint: error.hint } : {}),
  };
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
