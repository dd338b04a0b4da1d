import type { Project } from '../engine/project.js';
import { recordLabel, stepLabel, type Intent, type MigrateStep } from '../engine/plan.js';
import { refusalText } from '../engine/refusal-text.js';
import { preflight, type RunControl } from '../engine/run.js';
import type { RunEvent, RunOutcome, StepError } from '../engine/events.js';
import { describeHolder, type LockHolder } from '../db/session.js';
import { LadderError } from '../errors.js';
import type { CliIO } from './io.js';
import { goDuration } from './go-duration.js';
import { refuseRerunOverKeptWork } from './rerun-guard.js';
import { NIL_VERSION, type Version } from '../formats/types.js';

export interface MigrateCommandOptions {
  lockTimeoutMs: number;
  verbose: boolean;
  journal: boolean;
  control?: RunControl;
  /** Where .ladder.toml is read from for the plan's lint findings. */
  cwd?: string;
  /** The version typed to run a half-done step again over work that may have committed. */
  confirmRerun?: string;
}

const MAX_SQL_IN_ERROR = 2000;

/** up / down / goto / force / drop: lock, re-read state, plan, run, print golang-migrate style lines. */
export async function migrateCommand(project: Project, io: CliIO, intent: Intent, opts: MigrateCommandOptions): Promise<number> {
  refuseUndecided(project);
  await acquireLock(project, io, opts.lockTimeoutMs);
  try {
    // Plan on what is there first: a refusal leaves the database exactly as it was (no new table).
    const state = await project.readState();
    const result = project.plan(state, intent);
    // Out of order only on the journal's word that it never ran (else it could apply its work twice).
    if (result.ok && result.plan.intent.kind === 'never-run') await (await import('../engine/never-run.js')).requireNeverRun(project, state, result.plan.intent.version);
    if (!result.ok) {
      const text = refusalText(result.refusal);
      if (result.refusal.kind === 'no-change') {
        io.out('no change\n');
        return 0;
      }
      throw new LadderError(text.message, text.hint);
    }
    await refuseRerunOverKeptWork(project, state, result.plan, opts.confirmRerun);
    await preflight(result.plan); // a bad file is refused before the tracking table is created
    // Safety review: the lint findings of the plan's files, printed before anything runs.
    if (opts.cwd !== undefined && result.plan.steps.some((s) => s.kind === 'migrate')) await (await import('./lint.js')).printPlanFindings(project, result.plan, io, opts.cwd);
    await project.ensureTable();
    const outcome = await project.run(result.plan, { control: opts.control, journal: opts.journal, emit: (e) => printEvent(io, e, opts.verbose) });
    return reportOutcome(io, outcome, project);
  } finally {
    await project.session.unlock();
  }
}

/** A change on a guessed tool would create the wrong tracking table: refuse until -format says which. */
export function refuseUndecided(project: Project): void {
  const candidates = project.detection.ambiguous;
  if (!candidates) return;
  throw new LadderError(
    `${project.listing.dir} could be a ${candidates.join(' or a ')} project, and nothing says which, so Ladder changes nothing (each tool keeps its own tracking table).`,
    `Pass ${candidates.map((f) => `-format ${f}`).join(' or ')}. Why: ${project.detection.reason}`,
  );
}

export async function acquireLock(project: Project, io: CliIO, timeoutMs: number): Promise<void> {
  let holder: LockHolder | null = null;
  const got = await project.session.lock(project.tracking.lockId, timeoutMs, (h) => {
    holder = h;
    const who = h ? describeHolder(h) : 'another session';
    io.err(`Waiting up to ${timeoutMs / 1000}s for the migration lock held by ${who}...\n`);
  });
  if (!got) {
    const who = holder ? describeHolder(holder) : 'another session';
    throw new LadderError(
      `timeout: can't acquire database lock (held by ${who} for more than ${timeoutMs / 1000}s)`,
      'Another migration is probably running. Wait for it, or raise -lock-timeout. Nothing was changed.',
    );
  }
}

export function printEvent(io: CliIO, e: RunEvent, verbose: boolean): void {
  switch (e.type) {
    case 'step-start':
      if (verbose && e.step.kind === 'migrate') io.err(`Read and execute ${stepLabel(e.step)}\n`);
      break;
    case 'notice':
      io.err(`${e.notice.severity}: ${e.notice.message}\n`);
      break;
    case 'step-done':
      if (e.step.kind === 'migrate') io.out(`${stepLabel(e.step)} (${goDuration(e.durationNs)})\n`);
      else if (e.step.kind === 'record') io.out(`${recordLabel(e.step)}: ${e.step.text}\n`);
      break;
    case 'stopped':
      io.err(`Stopped after ${e.completed} migration${e.completed === 1 ? '' : 's'}; ${e.remaining} not run.\n`);
      break;
  }
}

function reportOutcome(io: CliIO, outcome: RunOutcome, project: Project): number {
  if (outcome.status === 'ok') return 0;
  if (outcome.status === 'stopped') {
    io.err(`Database is clean at version ${outcome.state.version}.\n`);
    return 1;
  }
  const { error, state, step } = outcome;
  io.err(`error: ${failureText(error)}\n`);
  const file = step.file?.path ?? '(no file)';
  const where = error.line ? `${file}:${error.line}${error.column ? `:${error.column}` : ''}` : file;
  if (error.cancelled) io.err(`The running statement was cancelled on request.\n`);
  if (error.connectionLost) io.err(`The connection to PostgreSQL was lost during the migration.\n`);
  if (error.inBookkeeping) io.err(`The file ran, but Ladder's own write of the tracking table or journal after it failed.\n`);
  const how =
    error.locatedBy === 'rehearsal'
      ? " (PostgreSQL gave no position: found by re-running the file's statements one by one in a transaction that was rolled back)"
      : error.locatedBy === 'statement'
        ? " (PostgreSQL gave no position: the statement acting on the object the error names)"
        : '';
  io.err(`Failed: ${stepLabel(step)} at ${where}${how}\n`);
  if (error.hint) io.err(`PostgreSQL hint: ${error.hint}\n`);
  if (error.committed) {
    io.err(`A new connection shows the step committed: the database is clean at version ${state.version}. Run the command again to go on.\n`);
    return 1;
  }
  if (error.stateUnknown) {
    io.err(`Ladder could not record the failure (${error.settleFailed}), and a new connection could not read the tracking table either: where the database stands is not known. "ladder status" reads it once PostgreSQL answers, and "ladder recover" explains it.\n`);
    return 1;
  }
  if (error.settleFailed) io.err(`Ladder could not record the failure in the tracking table or its journal: ${error.settleFailed}.\n`);
  if (project.tracking.model === 'version' && !state.dirty) {
    // Read afresh: the dirty marker never committed, so nothing of the file ran.
    io.err(`A new connection shows the step never started: the database is still clean at version ${state.version === NIL_VERSION ? '-1 (nothing applied)' : state.version}. Run the command again to go on.\n`);
    return 1;
  }
  if (project.tracking.model === 'rows') {
    io.err(afterLedgerFailure(project, outcome.state.dirty, step));
    return 1;
  }
  // Where the database was before the failed step: force there to retry the step.
  // An out-of-order up (--never-run) recorded the current version around it: that is where it was before.
  const before = step.direction === 'up' ? (step.target !== step.version ? step.target : versionBefore(project, step.version)) : step.version;
  const at = state.version === NIL_VERSION ? 'version -1 (no version recorded, and dirty: the down of the first migration failed)' : `version ${state.version}`;
  if (error.cancelled || error.connectionLost) {
    io.err(
      `The database is now dirty at ${at}. The step was stopped, not refused by PostgreSQL, so the file may be fine as it is. ` +
        `"ladder recover" checks what of it committed and walks you through the ways out.\n`,
    );
    return 1;
  }
  io.err(
    `The database is now dirty at ${at}. Every command but force/version/status refuses until you resolve it:\n` +
      `  - if the failed step left nothing behind (a file without BEGIN/COMMIT runs as one transaction, rolled back as a whole), ` +
      `fix the file, then "ladder force ${before}" and run the command again;\n` +
      `  - if you finished its work by hand, "ladder force ${state.version}".\n` +
      `"ladder recover" shows what PostgreSQL kept of the file and walks you through these.\n`,
  );
  return 1;
}

/** What a failed step of a set-tracking tool left, and the way on. */
function afterLedgerFailure(project: Project, dirty: boolean, step: MigrateStep): string {
  if (dirty)
    return (
      `${project.tracking.table} now records ${step.version} as failed (success = false), and the tool refuses to go on until that row is dealt with. ` +
      `Fix the schema by hand, then "ladder repair" deletes the failed row (so "ladder up" retries it), or "ladder force ${step.version}" records it as done.\n`
    );
  const atomic = step.file?.transaction !== false;
  return atomic
    ? `Nothing was recorded for ${step.version}: the step ran in one transaction with its ${project.tracking.table} write, and PostgreSQL rolled both back. The database is as it was before this step; fix the file and run the command again.\n`
    : `Nothing was recorded for ${step.version}, but it ran outside a transaction, so statements before the failing one may have taken effect. "ladder recover" shows what PostgreSQL kept of it, statement by statement, and the ways out; running the command again starts the step from its first statement.\n`;
}

function versionBefore(project: Project, version: Version): Version {
  const list = project.listing.migrations;
  const i = list.findIndex((m) => m.version === version);
  return i > 0 ? list[i - 1]!.version : NIL_VERSION;
}

/**
 * golang-migrate's message (PostgreSQL's message and DETAIL, the whole file, the details), with only the
 * file's SQL shortened when it is long: the lines around the failing statement, saying what was left out.
 */
export function failureText(error: StepError): string {
  const sql = error.sql;
  if (sql === undefined || sql.length <= MAX_SQL_IN_ERROR) return error.text;
  const pgLine = error.locatedBy === 'position' ? error.line : undefined;
  let head = `migration failed: ${error.message}`;
  if (pgLine !== undefined && error.column) head += ` (column ${error.column})`;
  if (error.detail) head += `, ${error.detail}`;
  const lines = sql.split('\n');
  const at = Math.min(Math.max((error.line ?? 1) - 1, 0), lines.length - 1);
  let from = at;
  let to = at + 1;
  let size = lines[at]!.length;
  // Grow the window around the failing line, a line on each side at a time, up to the limit.
  while (size < MAX_SQL_IN_ERROR && (from > 0 || to < lines.length)) {
    if (from > 0) size += lines[--from]!.length + 1;
    if (to < lines.length && size < MAX_SQL_IN_ERROR) size += lines[to++]!.length + 1;
  }
  const before = from > 0 ? `[... lines 1-${from} not shown ...]\n` : '';
  const after = to < lines.length ? `\n[... lines ${to + 1}-${lines.length} not shown ...]` : '';
  const shown = `${before}${lines.slice(from, to).join('\n')}${after}`;
  return `${head} in line ${pgLine ?? 0}: ${shown} (details: pq: ${error.message})\n(the SQL is shortened to lines ${from + 1}-${to} of ${lines.length}${error.line ? `, around line ${error.line}` : ''}; the message, DETAIL and HINT are whole)`;
}
