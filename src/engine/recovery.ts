import type { DbState, Migration, MigrationFile, SourceListing, Version } from '../formats/types.js';
import { NIL_VERSION } from '../formats/types.js';
import type { FileEffects } from './effects.js';
import type { Committed } from './evidence.js';
import type { Plan, RecoverIntent, Step } from './plan-types.js';
import { downStep, upStep } from './plan-version.js';

/** One way the dirty state can have come about: this step failed part-way. */
export interface Candidate {
  direction: 'up' | 'down';
  version: Version;
  name: string;
  file?: MigrationFile;
  /** Version recorded before the step started (where "retry" goes back to). */
  before: Version;
  /** Version the step records when it completes (= the dirty version). */
  after: Version;
}

export interface RecoveryOption {
  id: RecoverIntent['option'] | 'leave';
  label: string;
  /** What it does to the database, in plain words. */
  consequence: string;
  /** When it is probably the wrong choice, and why. */
  warning?: string;
  /** The way out the evidence points to (at most one per candidate). */
  recommended?: boolean;
  /** It could apply committed work twice: it runs only after a typed confirmation that lists what is already there. */
  confirm?: { alreadyThere: string[] };
  steps: Step[];
}

/** The two ways golang-migrate can leave (V, dirty): up V failed, or the down of the next version failed. */
export function candidatesFor(listing: SourceListing, state: DbState): Candidate[] {
  const list = listing.migrations;
  const i = list.findIndex((m) => m.version === state.version);
  const out: Candidate[] = [];
  if (i >= 0) {
    const m = list[i]!;
    out.push({ direction: 'up', version: m.version, name: m.up?.name ?? m.name, file: m.up, before: i > 0 ? list[i - 1]!.version : NIL_VERSION, after: m.version });
  }
  const next = state.version === NIL_VERSION ? list[0] : i >= 0 ? list[i + 1] : undefined;
  if (next) out.push({ direction: 'down', version: next.version, name: next.down?.name ?? next.name, file: next.down, before: next.version, after: state.version });
  return out;
}

/**
 * A migration run out of order ("up --never-run V"), which recorded the current version around it, dirty
 * then clean: when the journal's unfinished step is one, it is the candidate, with the current version
 * before and after it.
 */
export function neverRunCandidate(listing: SourceListing, state: DbState, entry: { direction: string; version: Version; targetVersion: Version } | undefined): Candidate[] {
  if (!entry || entry.direction !== 'up' || entry.version === entry.targetVersion || entry.targetVersion !== state.version) return [];
  const m = listing.migrations.find((x) => x.version === entry.version);
  return m ? [{ direction: 'up', version: m.version, name: m.up?.name ?? m.name, file: m.up, before: state.version, after: state.version }] : [];
}

/** What the evidence says about the failed step, which decides the ways out. */
export interface StepEvidence {
  committed: Committed;
  fileChanged?: boolean;
  /** Cancelled on request, or the connection/process went away: not a failure of the file. */
  interrupted?: boolean;
  /** The file itself failed (an error PostgreSQL raised). */
  failedAgain?: boolean;
  /** What of the file is in the database now, for the confirmation of a way out that would run it again. */
  alreadyThere?: string[];
  effects?: FileEffects;
}

/** What a person can do about one failed step, each with its consequence spelled out; the evidence picks the recommended one. Pure. */
export function recoveryOptions(listing: SourceListing, c: Candidate, ev: StepEvidence = { committed: 'unknown' }): RecoveryOption[] {
  const list = listing.migrations;
  const index = list.findIndex((m) => m.version === c.version);
  const m: Migration | undefined = list[index];
  const what = `${c.direction} ${c.version}${c.name ? ` ${c.name}` : ''}`;
  const options: RecoveryOption[] = [];

  const retrySteps: Step[] = [{ kind: 'force', version: c.before }];
  // c.after: an out-of-order up keeps the current version around it (see neverRunCandidate).
  if (m) retrySteps.push(c.direction === 'up' ? { ...upStep(m), target: c.after } : downStep(list, index));
  const { warning: retryWarning, confirm } = rerunRisk(ev, 'file', 'Undo that part first, or choose "undo".');
  options.push({
    id: 'retry',
    label: `Retry: record ${fmt(c.before)} (as before the step), then run ${what} again`,
    consequence: `Sets the version to ${fmt(c.before)}, clean, without running anything, then runs ${c.file?.file ?? 'the step'} again as a normal step. Right when the failed attempt left nothing behind${ev.committed === 'none' ? ' (as here)' : ''}${ev.failedAgain ? ' and the file is fixed' : ''}.`,
    warning: retryWarning,
    recommended: ev.committed === 'none',
    ...(confirm ? { confirm } : {}),
    steps: retrySteps,
  });

  const missing = ev.committed === 'part' || ev.committed === 'unknown';
  options.push({
    id: 'mark-done',
    label: `Mark as done: record ${fmt(c.after)} as clean without running anything`,
    consequence:
      `Tells the tracking table that ${what} is complete. Ladder runs nothing; every statement of the file is assumed to have taken effect. ` +
      (ev.committed === 'all' ? 'The catalog shows its work in place, so this only records what is already true.' : 'Only right if you have finished its work by hand.'),
    warning:
      ev.committed === 'none'
        ? `None of ${what} is in the database now (checked just now), so this would record work that was never done as done. Do its work by hand first, or choose "retry".`
        : missing
          ? `Not all of ${what} is known to be in the database now: finish what is missing by hand first.`
          : undefined,
    recommended: ev.committed === 'all',
    steps: [{ kind: 'force', version: c.after }],
  });

  const reverse = c.direction === 'up' ? m?.down : m?.up;
  if (m && reverse) {
    options.push({
      id: 'undo',
      label: `Undo the partial work: run ${reverse.file}, then record ${fmt(c.before)}`,
      consequence:
        c.direction === 'up'
          ? `Runs the down file of ${c.version} against the half-applied schema to remove what the failed up created, recording ${fmt(c.before)} around it as a normal down step.`
          : `Runs the up file of ${c.version} to re-create what the failed down removed, recording ${fmt(c.version)} around it as a normal up step.`,
      warning:
        ev.committed === 'none'
          ? `Nothing of ${what} is in the database now, so ${reverse.file} would run against a schema that does not have what it expects and would probably fail. "retry" is the better way out.`
          : ev.committed === 'all'
            ? undefined
            : 'The reverse file expects the complete result of the step; on a half-done one some of its statements may fail. Check the objects listed above.',
      recommended: ev.committed === 'part',
      steps: [c.direction === 'up' ? { ...downStep(list, index), target: c.before } : upStep(m)],
    });
  }

  options.push({
    id: 'leave',
    label: 'Leave it for now',
    consequence: 'Changes nothing. Every command but force, version and status keeps refusing until the database is clean.',
    recommended: ev.committed === 'unknown' || (ev.committed === 'part' && !(m && reverse)),
    steps: [],
  });
  return options;
}

/** The plan a chosen option runs, from the dirty state. */
/** `version`: the step the plan gets out of (for a row-tracking tool not the current version, which is another migration's). */
export function recoveryPlan(state: DbState, option: RecoveryOption & { id: RecoverIntent['option'] }, version: Version): Plan {
  const last = option.steps[option.steps.length - 1]!;
  const to = last.kind === 'force' ? last.version : last.kind === 'migrate' ? last.target : NIL_VERSION;
  const first = option.steps[0]!;
  const intent = first.kind === 'force' ? { kind: 'force' as const, version: first.version } : { kind: 'goto' as const, version: to };
  return { intent, recover: { kind: 'recover', option: option.id, version }, from: state, steps: option.steps, to };
}

function fmt(v: Version): string {
  return v === NIL_VERSION ? 'no version (-1)' : `version ${v}`;
}

/**
 * What running a half-done step again risks, from the evidence: a warning, and the typed confirmation
 * (listing what is already there) whenever any of it may have committed. One rule for every tool.
 */
export function rerunRisk(ev: StepEvidence, noun: 'file' | 'step', partAdvice: string): { warning: string | undefined; confirm: RecoveryOption['confirm'] } {
  const there = ev.alreadyThere ?? [];
  if (ev.committed !== 'none') {
    const listed = there.length > 0 ? ` Already there: ${there.join('; ')}.` : '';
    const warning =
      ev.committed === 'all'
        ? `The ${noun}'s work is already in the database, so running it again would apply it twice.${listed}`
        : ev.committed === 'part'
          ? `Part of the ${noun} took effect, so running it again would apply that part twice (or fail on it).${listed} ${partAdvice}`
          : `Ladder cannot tell whether the ${noun} committed, so running it again could apply it twice.${listed} Check the data by hand first.`;
    return { warning, confirm: { alreadyThere: there.length > 0 ? there : [warning] } };
  }
  if (ev.fileChanged === false && ev.failedAgain && !ev.interrupted)
    return { warning: 'The file has not changed since it failed: it will most likely fail the same way. Fix it first.', confirm: undefined };
  return { warning: undefined, confirm: undefined };
}
