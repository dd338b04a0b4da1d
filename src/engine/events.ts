import type { DbState } from '../formats/types.js';
import type { LockHolder, Notice } from '../db/session.js';
import type { MigrateStep, Step } from './plan.js';

export interface StepError {
  message: string;
  /** SQLSTATE, when PostgreSQL sent one. */
  code?: string;
  detail?: string;
  hint?: string;
  line?: number;
  column?: number;
  /** The statement was cancelled on request (pg_cancel_backend). */
  cancelled: boolean;
  /** The connection died mid-step; the state was re-read on a new connection. */
  connectionLost: boolean;
  /** The error came from Ladder's own tracking/journal statements around the file, not from the file. */
  inBookkeeping?: boolean;
  /** The connection died, but a new connection shows the step committed (clean at its version). */
  committed?: boolean;
  /** Recording the failure (the tracking row, the journal's row) failed, with this message. */
  settleFailed?: string;
  /** Not even a new connection could read the tracking table afterwards: the state given is the one before the step. */
  stateUnknown?: boolean;
  /** How line/column were found: PostgreSQL's position, re-running the file's statements in a rolled-back transaction, or the error's object. */
  locatedBy?: 'position' | 'rehearsal' | 'statement';
  /** The file's SQL as it was sent. */
  sql?: string;
  /** golang-migrate's one-line form: "migration failed: ... (column C) in line L: <sql> (details: ...)". */
  text: string;
}

export type RunEvent =
  | { type: 'lock-wait'; holder: LockHolder | null }
  | { type: 'lock-acquired' }
  | { type: 'step-start'; step: Step; index: number; total: number }
  | { type: 'notice'; notice: Notice; step?: Step }
  | { type: 'step-done'; step: Step; index: number; durationNs: bigint }
  | { type: 'step-failed'; step: MigrateStep; index: number; error: StepError; durationNs: bigint }
  | { type: 'stopped'; completed: number; remaining: number }
  | { type: 'finished'; state: DbState };

export type RunOutcome =
  | { status: 'ok'; completed: number; state: DbState }
  | { status: 'stopped'; completed: number; state: DbState }
  | { status: 'failed'; completed: number; state: DbState; error: StepError; step: MigrateStep };
