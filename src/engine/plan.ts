import type { DbState, Direction, Migration, MigrationFile, SourceListing, Version } from '../formats/types.js';
import { NIL_VERSION } from '../formats/types.js';
import { LINEAR_FORMAT } from '../formats/names.js';

export type Intent =
  | { kind: 'up'; limit?: number }
  | { kind: 'down'; limit?: number }
  | { kind: 'goto'; version: Version }
  | { kind: 'force'; version: Version }
  /** Record a migration as not applied without running anything (tools that track a set of rows). */
  | { kind: 'forget'; version: Version }
  /** The tool's repair: Flyway's own; for sqlx, its advice (remove failed rows) plus checksum realignment. */
  | { kind: 'repair' }
  | { kind: 'drop' };

export interface MigrateStep {
  kind: 'migrate';
  version: Version;
  /** Name of the file that runs (empty when that half is missing, as golang-migrate logs it). */
  name: string;
  direction: Direction;
  /** Missing half: stepping through runs nothing but still records the version. */
  file?: MigrationFile;
  /** Version recorded around the step: its own for an up, the previous one in the folder (or -1) for a down. */
  target: Version;
  /** A Flyway repeatable: its version is its key ("R__<description>"), logged as "R". */
  repeatable?: boolean;
}

export interface ForceStep {
  kind: 'force';
  version: Version;
}

export interface DropStep {
  kind: 'drop';
}

/** A tracking-table write that runs no migration SQL (force, forget and repair in a set-tracking tool's terms). */
export interface RecordStep {
  kind: 'record';
  version: Version;
  name: string;
  action: 'applied' | 'reverted' | 'remove-failed' | 'align-checksum' | 'mark-deleted';
  /** What it writes, in one line. */
  text: string;
}

export type Step = MigrateStep | ForceStep | DropStep | RecordStep;

/** A way out of a dirty database, chosen in the recovery guide (see recovery.ts). */
export interface RecoverIntent {
  kind: 'recover';
  option: 'retry' | 'mark-done' | 'undo';
  /** The dirty version being recovered. */
  version: Version;
}

export interface Plan {
  intent: Intent;
  /** Set when the plan is a way out of a dirty database (its intent is then the first force). */
  recover?: RecoverIntent;
  from: DbState;
  steps: Step[];
  /** Version recorded once every step has run. */
  to: Version;
}

export type Refusal =
  | { kind: 'dirty'; version: Version }
  | { kind: 'no-change' }
  | { kind: 'short-limit'; direction: Direction; requested: number; available: number }
  | { kind: 'version-not-found'; version: Version; role: 'target' | 'current' }
  | { kind: 'duplicate'; version: Version; direction: Direction; files: string[] }
  | { kind: 'invalid-version'; version: Version }
  /** A version the tracking table's bigint column cannot hold (golang-migrate reads uint64, PostgreSQL stores int64). */
  | { kind: 'version-out-of-range'; version: Version; file?: string }
  | { kind: 'no-migrations' }
  /** The format's own refusal (sqlx's and Flyway's messages, a dbmate file without a down section). */
  | { kind: 'format'; message: string; hint?: string }
  | { kind: 'unsupported'; intent: Intent['kind']; format: string; hint?: string };

export type PlanResult = { ok: true; plan: Plan } | { ok: false; refusal: Refusal };

/** (migrations, db state, intent) -> ordered steps or a typed refusal. Pure: no I/O. */
export function plan(listing: SourceListing, state: DbState, requested: Intent): PlanResult {
  const intent = canonical(requested);
  if (!intent) return refuse({ kind: 'invalid-version', version: (requested as { version: Version }).version });
  if ((intent.kind === 'goto' || intent.kind === 'force') && !fitsBigint(intent.version)) return refuse({ kind: 'version-out-of-range', version: intent.version });
  const result = planSteps(listing, state, intent);
  // Every version the plan records is checked before anything runs: a late overflow must not leave earlier steps applied.
  if (result.ok)
    for (const step of result.plan.steps) {
      if (step.kind !== 'migrate') continue;
      if (!fitsBigint(step.version)) return refuse({ kind: 'version-out-of-range', version: step.version, file: step.file?.file });
    }
  return result;
}

const BIGINT_MAX = 9223372036854775807n;

/** Whether a canonical decimal version fits PostgreSQL's bigint (where golang-migrate keeps it). */
export function fitsBigint(version: Version): boolean {
  return version.length < 19 || BigInt(version) <= BIGINT_MAX;
}

function planSteps(listing: SourceListing, state: DbState, intent: Intent): PlanResult {
  if (intent.kind === 'force') {
    return ok(intent, state, [{ kind: 'force', version: intent.version }], intent.version);
  }
  if (intent.kind === 'drop') return ok(intent, state, [{ kind: 'drop' }], NIL_VERSION);
  if (intent.kind === 'forget' || intent.kind === 'repair')
    return refuse({ kind: 'unsupported', intent: intent.kind, format: LINEAR_FORMAT, hint: 'golang-migrate tracks one version: "force V" records it (and clears dirty).' });

  const dup = listing.problems.find((p) => p.kind === 'duplicate');
  if (dup && dup.kind === 'duplicate') return refuse(dup);
  if (state.dirty) return refuse({ kind: 'dirty', version: state.version });

  const migrations = listing.migrations;
  const index = new Map(migrations.map((m, i) => [m.version, i]));
  const current = state.version;
  if (current !== NIL_VERSION && !index.has(current)) return refuse({ kind: 'version-not-found', version: current, role: 'current' });
  const at = current === NIL_VERSION ? -1 : index.get(current)!;

  switch (intent.kind) {
    case 'up': {
      const pending = migrations.slice(at + 1);
      if (intent.limit === 0 || pending.length === 0) {
        if (migrations.length === 0) return refuse({ kind: 'no-migrations' });
        return refuse({ kind: 'no-change' });
      }
      const n = intent.limit ?? pending.length;
      if (n > pending.length) return refuse({ kind: 'short-limit', direction: 'up', requested: n, available: pending.length });
      const steps = pending.slice(0, n).map(upStep);
      return ok(intent, state, steps, steps[steps.length - 1]!.target);
    }
    case 'down': {
      const applied = at + 1;
      if (intent.limit === 0 || applied === 0) return refuse({ kind: 'no-change' });
      const n = intent.limit ?? applied;
      if (n > applied) return refuse({ kind: 'short-limit', direction: 'down', requested: n, available: applied });
      const steps: MigrateStep[] = [];
      for (let i = at; i > at - n; i--) steps.push(downStep(migrations, i));
      return ok(intent, state, steps, steps[steps.length - 1]!.target);
    }
    case 'goto': {
      const target = index.get(intent.version);
      if (target === undefined) return refuse({ kind: 'version-not-found', version: intent.version, role: 'target' });
      if (target === at) return refuse({ kind: 'no-change' });
      const steps: MigrateStep[] = [];
      if (target > at) for (let i = at + 1; i <= target; i++) steps.push(upStep(migrations[i]!));
      else for (let i = at; i > target; i--) steps.push(downStep(migrations, i));
      return ok(intent, state, steps, intent.version);
    }
  }
}

/** golang-migrate reads versions as uint64: "007" is version 7; force also takes -1. */
function canonical(intent: Intent): Intent | null {
  if (intent.kind !== 'goto' && intent.kind !== 'force') return intent;
  const ok = intent.kind === 'force' ? /^(-1|\d+)$/ : /^\d+$/;
  if (!ok.test(intent.version)) return null;
  return { ...intent, version: BigInt(intent.version).toString() };
}

export function upStep(m: Migration): MigrateStep {
  return { kind: 'migrate', version: m.version, name: m.up?.name ?? '', direction: 'up', file: m.up, target: m.version };
}

export function downStep(migrations: Migration[], i: number): MigrateStep {
  const m = migrations[i]!;
  const target = i > 0 ? migrations[i - 1]!.version : NIL_VERSION;
  return { kind: 'migrate', version: m.version, name: m.down?.name ?? '', direction: 'down', file: m.down, target };
}

function ok(intent: Intent, from: DbState, steps: Step[], to: Version): PlanResult {
  return { ok: true, plan: { intent, from, steps, to } };
}

function refuse(refusal: Refusal): PlanResult {
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
  }
}
