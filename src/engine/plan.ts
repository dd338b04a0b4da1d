import type { DbState, Version } from '../formats/types.js';
import { NIL_VERSION } from '../formats/types.js';
import type { Intent, MigrateStep, Plan, PlanResult, RecordStep, Refusal, Step } from './plan-types.js';

export type * from './plan-types.js';

type RecordIntent = Extract<Intent, { kind: 'force' | 'forget' | 'repair' }>;

/**
 * What the planner asks of a tracking model (plan-version.ts: one version and a dirty flag; ledger/plan.ts:
 * a set of applied rows), over its listing L and its migrations M. The skeleton below (limits, goto, the
 * order of refusals) is the same for every tool; each answer is in the tool's rules and words.
 */
export interface PlanModel<L, M> {
  /** The intent in the tool's terms (golang-migrate reads "007" as 7), or why it is not one. */
  canonical(intent: Intent): { intent: Intent } | { refusal: Refusal };
  /** force, forget and repair: tracking writes that run no migration. */
  record(listing: L, state: DbState, intent: RecordIntent): PlanResult;
  /** Why nothing may run from here (a duplicate version, a dirty database, an unknown current version). */
  blocked(listing: L, state: DbState): Refusal | undefined;
  /** What an up applies, in order (up to and including `target`), from the state less `reverted`. */
  pending(listing: L, state: DbState, target?: M, reverted?: M[]): { apply: M[]; refusal?: Refusal };
  /** What repeated downs take, most recent first, down to (not including) `target`; `blocked`: the first it cannot. */
  revertible(listing: L, state: DbState, target?: M): { revert: M[]; refusal?: Refusal; blocked?: Refusal };
  /** The migration a goto names. */
  find(listing: L, version: Version): M | undefined;
  hasMigrations(listing: L): boolean;
  up(listing: L, m: M): MigrateStep;
  down(listing: L, m: M): MigrateStep;
  /** The version the tool calls current once these steps ran. */
  to(listing: L, state: DbState, steps: MigrateStep[], reverted: M[]): Version;
  /** The step that runs a migration below the current version out of order, keeping the tracking table where it is; absent: the tool's own up does that. */
  outOfOrder?(listing: L, state: DbState, version: Version): { step: MigrateStep } | { refusal: Refusal };
  /** The tool's name, for refusals of what it does not do. */
  format: string;
  /** A last check over a plan before it is offered (a version the tracking table cannot hold). */
  check?(plan: Plan): Refusal | undefined;
}

/** (migrations, db state, intent, the tool's model) -> ordered steps or a typed refusal. Pure: no I/O. */
export function plan<L, M>(model: PlanModel<L, M>, listing: L, state: DbState, requested: Intent): PlanResult {
  const c = model.canonical(requested);
  if ('refusal' in c) return refuse(c.refusal);
  const result = planSteps(model, listing, state, c.intent);
  // Checked before anything runs: a late refusal must not leave earlier steps applied.
  const late = result.ok ? model.check?.(result.plan) : undefined;
  return late ? refuse(late) : result;
}

function planSteps<L, M>(model: PlanModel<L, M>, listing: L, state: DbState, intent: Intent): PlanResult {
  if (intent.kind === 'drop') return planned(intent, state, [{ kind: 'drop' }], NIL_VERSION);
  if (intent.kind === 'force' || intent.kind === 'forget' || intent.kind === 'repair') return model.record(listing, state, intent);
  const blocked = model.blocked(listing, state);
  if (blocked) return refuse(blocked);
  if (intent.kind === 'never-run') {
    if (!model.outOfOrder) return refuse({ kind: 'unsupported', intent: intent.kind, format: model.format, hint: 'Its "up" applies every migration it has not applied, whatever its number.' });
    const r = model.outOfOrder(listing, state, intent.version);
    return 'refusal' in r ? refuse(r.refusal) : planned(intent, state, [r.step], state.version);
  }
  const ok = (steps: MigrateStep[], reverted: M[]) => planned(intent, state, steps, model.to(listing, state, steps, reverted));
  switch (intent.kind) {
    case 'up': {
      const r = model.pending(listing, state);
      const n = intent.limit ?? r.apply.length;
      if (r.refusal && (intent.limit === undefined || n > r.apply.length)) return refuse(r.refusal);
      if (intent.limit === 0 || r.apply.length === 0) return refuse(model.hasMigrations(listing) ? { kind: 'no-change' } : { kind: 'no-migrations' });
      if (n > r.apply.length) return refuse({ kind: 'short-limit', direction: 'up', requested: n, available: r.apply.length });
      return ok(r.apply.slice(0, n).map((m) => model.up(listing, m)), []);
    }
    case 'down': {
      const r = model.revertible(listing, state);
      if (r.refusal) return refuse(r.refusal);
      const n = intent.limit ?? r.revert.length;
      if (r.blocked && (intent.limit === undefined || n > r.revert.length)) return refuse(r.blocked);
      if (intent.limit === 0 || r.revert.length === 0) return refuse({ kind: 'no-change' });
      if (n > r.revert.length) return refuse({ kind: 'short-limit', direction: 'down', requested: n, available: r.revert.length });
      const taken = r.revert.slice(0, n);
      return ok(taken.map((m) => model.down(listing, m)), taken);
    }
    case 'goto': {
      const target = model.find(listing, intent.version);
      if (target === undefined) return refuse({ kind: 'version-not-found', version: intent.version, role: 'target' });
      const back = model.revertible(listing, state, target);
      if (back.refusal) return refuse(back.refusal);
      if (back.blocked) return refuse(back.blocked);
      const forward = model.pending(listing, state, target, back.revert);
      if (forward.refusal) return refuse(forward.refusal);
      const steps = [...back.revert.map((m) => model.down(listing, m)), ...forward.apply.map((m) => model.up(listing, m))];
      if (steps.length === 0) return refuse({ kind: 'no-change' });
      return ok(steps, back.revert);
    }
  }
}

export function planned(intent: Intent, from: DbState, steps: Step[], to: Version): PlanResult {
  return { ok: true, plan: { intent, from, steps, to } };
}

export function refuse(refusal: Refusal): PlanResult {
  return { ok: false, refusal };
}

/** golang-migrate's log form of a step: "3/u create_users", "3/d create_users". */
export function stepLabel(step: MigrateStep): string {
  return `${step.repeatable ? 'R' : step.version}/${step.direction === 'up' ? 'u' : 'd'} ${step.name}`;
}

/** One line a person reads before confirming: "goto 3 runs: down 7, down 6, down 5, down 4". */
export function describePlan(p: Plan): string {
  const head = p.recover ? `recover ${p.recover.version} (${p.recover.option})` : describeIntent(p.intent);
  const parts = p.steps.map((s) =>
    s.kind === 'migrate' ? `${s.direction} ${s.repeatable ? (s.file?.file ?? s.version) : s.version}` : s.kind === 'force' ? `force ${s.version}` : s.kind === 'record' ? recordLabel(s) : 'drop every table',
  );
  return `${head} runs: ${parts.join(', ')}`;
}

export function recordLabel(s: RecordStep): string {
  switch (s.action) {
    case 'applied':
      return `mark ${s.version} applied`;
    case 'reverted':
      return `forget ${s.version}`;
    case 'remove-failed':
      return `remove failed row ${s.version}`;
    case 'align-checksum':
      return `realign ${s.version}`;
    case 'mark-deleted':
      return `mark ${s.version} deleted`;
  }
}

export function describeIntent(intent: Intent): string {
  switch (intent.kind) {
    case 'forget':
      return `forget ${intent.version}`;
    case 'repair':
      return 'repair';
    case 'up':
      return intent.limit === undefined ? 'up' : `up ${intent.limit}`;
    case 'down':
      return intent.limit === undefined ? 'down -all' : `down ${intent.limit}`;
    case 'goto':
      return `goto ${intent.version}`;
    case 'force':
      return `force ${intent.version}`;
    case 'drop':
      return 'drop';
    case 'never-run':
      return `up --never-run ${intent.version}`;
  }
}
