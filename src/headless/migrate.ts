import type { Project } from '../engine/project.js';
import { recordLabel, stepLabel, type Intent, type MigrateStep } from '../engine/plan.js';
import { refusalText } from '../engine/refusal-text.js';
import type { RunControl } from '../engine/run.js';
import type { RunEvent, RunOutcome } from '../engine/events.js';
import { describeHolder, type LockHolder } from '../db/session.js';
import { LadderError } from '../errors.js';
import type { CliIO } from '../cli/io.js';
import { goDuration } from './go-duration.js';
import { NIL_VERSION, type Version } from '../formats/types.js';

export interface MigrateCommandOptions {
  lockTimeoutMs: number;
  verbose: boolean;
  journal: boolean;
  control?: RunControl;
  /** Where .ladder.toml is read from for the plan's lint findings. */
  cwd?: string;
}

const MAX_SQL_IN_ERROR = 2000;

/** up / down / goto / force / drop: lock, re-read state, plan, run, print golang-migrate style lines. */
export async function migrateCommand(project: Project, io: CliIO, intent: Intent, opts: MigrateCommandOptions): Promise<number> {
  await acquireLock(project, io, opts.lockTimeoutMs);
  try {
    // Plan on what is there first: a refusal leaves the database exactly as it was (no new table).
    const state = await project.readState();
    const result = project.plan(state, intent);
    if (!result.ok) {
      const text = refusalText(result.refusal);
      if (result.refusal.kind === 'no-change') {
        io.out('no change\n');
        return 0;
      }
      throw new LadderError(text.message, text.hint);
    }
    // Safety review: the lint findings of the plan's files, printed before anything runs.
    if (opts.cwd !== undefined && result.plan.steps.some((s) => s.kind === 'migrate')) await (await import('./lint.js')).printPlanFindings(project, result.plan, io, opts.cwd);
    await project.ensureTable();
    const outcome = await project.run(result.plan, { control: opts.control, journal: opts.journal, emit: (e) => printEvent(io, e, opts.verbose) });
    return reportOutcome(io, outcome, project);
  } finally {
    await project.session.unlock();
  }
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
  const sql = error.text;
  io.err(`error: ${sql.length > MAX_SQL_IN_ERROR + 200 ? shorten(error.text) : sql}\n`);
  const file = step.file?.path ?? '(no file)';
  const where = error.line ? `${file}:${error.line}${error.column ? `:${error.column}` : ''}` : file;
  if (error.cancelled) io.err(`The running statement was cancelled on request.\n`);
  if (error.connectionLost) io.err(`The connection to PostgreSQL was lost during the migration.\n`);
  io.err(`Failed: ${stepLabel(step)} at ${where}\n`);
  if (error.hint) io.err(`PostgreSQL hint: ${error.hint}\n`);
  if (!project.guidedRecovery) {
    io.err(afterLedgerFailure(project, outcome.state.dirty, step));
    return 1;
  }
  // Where the database was before the failed step: force there to retry the step.
  const before = step.direction === 'up' ? versionBefore(project, step.version) : step.version;
  io.err(
    `The database is now dirty at version ${state.version}. Every command but force/version/status refuses until you resolve it:\n` +
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
    : `Nothing was recorded for ${step.version}, but it ran outside a transaction, so statements before the failing one may have taken effect. Check the schema, fix the file, then run the command again (or "ladder force ${step.version}" if you finished it by hand).\n`;
}

function versionBefore(project: Project, version: Version): Version {
  const list = project.listing.migrations;
  const i = list.findIndex((m) => m.version === version);
  return i > 0 ? list[i - 1]!.version : NIL_VERSION;
}

function shorten(text: string): string {
  // The whole file is in golang-migrate's message; for a big file keep the head and say how much was cut.
  const m = /^(.*? in line \d+: )([\s\S]*)( \(details: [\s\S]*\))$/.exec(text);
  if (!m) return text.slice(0, MAX_SQL_IN_ERROR);
  const sql = m[2]!;
  return `${m[1]}${sql.slice(0, MAX_SQL_IN_ERROR)}... [${sql.length - MAX_SQL_IN_ERROR} more characters]${m[3]}`;
}
