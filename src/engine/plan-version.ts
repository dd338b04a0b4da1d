import type { VersionRules } from '../formats/driver.js';
import type { DbState, Migration, SourceListing, Version } from '../formats/types.js';
import { NIL_VERSION } from '../formats/types.js';
import { planned, refuse, type PlanModel } from './plan.js';
import type { MigrateStep } from './plan-types.js';

/**
 * The planner's model for a tool that tracks one version and a dirty flag (golang-migrate): a listing in
 * version order, every migration up to the current one counted as applied. Migrations are named by their
 * index in the listing; a down of V records the version before it.
 */
export function versionModel(rules: VersionRules, format: string): PlanModel<SourceListing, number> {
  const indexes = new WeakMap<SourceListing, Map<Version, number>>();
  const indexOf = (l: SourceListing) => {
    let index = indexes.get(l);
    if (!index) indexes.set(l, (index = new Map(l.migrations.map((m, i) => [m.version, i]))));
    return index;
  };
  /** The current version's index (-1: none applied). */
  const at = (l: SourceListing, s: DbState) => (s.version === NIL_VERSION ? -1 : indexOf(l).get(s.version)!);
  const range = (from: number, to: number, step: 1 | -1) => {
    const out: number[] = [];
    for (let i = from; step > 0 ? i <= to : i >= to; i += step) out.push(i);
    return out;
  };
  return {
    format,
    canonical(intent) {
      if (intent.kind === 'never-run') {
        const version = rules.canonicalVersion(intent.version, false);
        return version === null ? { refusal: { kind: 'invalid-version', version: intent.version } } : { intent: { ...intent, version } };
      }
      if (intent.kind !== 'goto' && intent.kind !== 'force') return { intent };
      const version = rules.canonicalVersion(intent.version, intent.kind === 'force');
      if (version === null) return { refusal: { kind: 'invalid-version', version: intent.version } };
      if (!rules.fitsTable(version)) return { refusal: { kind: 'version-out-of-range', version } };
      return { intent: { ...intent, version } };
    },
    record(_l, state, intent) {
      if (intent.kind === 'force') return planned(intent, state, [{ kind: 'force', version: intent.version }], intent.version);
      return refuse({ kind: 'unsupported', intent: intent.kind, format, hint: rules.unsupportedHint });
    },
    blocked(l, state) {
      const dup = l.problems.find((p) => p.kind === 'duplicate');
      if (dup && dup.kind === 'duplicate') return dup;
      if (state.dirty) return { kind: 'dirty', version: state.version };
      if (state.version !== NIL_VERSION && !indexOf(l).has(state.version)) return { kind: 'version-not-found', version: state.version, role: 'current' };
      return undefined;
    },
    pending: (l, state, target) => ({ apply: range(at(l, state) + 1, target ?? l.migrations.length - 1, 1) }),
    revertible: (l, state, target) => ({ revert: range(at(l, state), (target ?? -1) + 1, -1) }),
    find: (l, version) => indexOf(l).get(version),
    // Recorded around the step: the current version, dirty then clean, so a crash leaves a state the tool knows
    // (dirty at the current version: nothing runs until it is resolved) and the tool's version never moves.
    outOfOrder(l, state, version) {
      const i = indexOf(l).get(version);
      if (i === undefined) return { refusal: { kind: 'version-not-found', version, role: 'target' } };
      if (state.version === NIL_VERSION || rules.compare(version, state.version) >= 0)
        return { refusal: { kind: 'format', message: `${version} is not below the current version (${state.version === NIL_VERSION ? 'none' : state.version}): "up" runs it in order.`, hint: 'Nothing was run.' } };
      const m = l.migrations[i]!;
      if (!m.up) return { refusal: { kind: 'format', message: `${version} has no up file, so there is nothing to run.`, hint: 'Nothing was run.' } };
      return { step: { ...upStep(m), target: state.version } };
    },
    hasMigrations: (l) => l.migrations.length > 0,
    up: (l, i) => upStep(l.migrations[i]!),
    down: (l, i) => downStep(l.migrations, i),
    to: (_l, state, steps) => steps[steps.length - 1]?.target ?? state.version,
    check(plan) {
      for (const step of plan.steps) {
        if (step.kind !== 'migrate') continue;
        if (!rules.fitsTable(step.version)) return { kind: 'version-out-of-range', version: step.version, file: step.file?.file };
      }
      return undefined;
    },
  };
}

export function upStep(m: Migration): MigrateStep {
  return { kind: 'migrate', version: m.version, name: m.up?.name ?? '', direction: 'up', file: m.up, target: m.version };
}

export function downStep(migrations: Migration[], i: number): MigrateStep {
  const m = migrations[i]!;
  const target = i > 0 ? migrations[i - 1]!.version : NIL_VERSION;
  return { kind: 'migrate', version: m.version, name: m.down?.name ?? '', direction: 'down', file: m.down, target };
}
