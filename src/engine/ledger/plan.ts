import type { AppliedMigration, FormatListing, FormatMigration, LedgerRefusal, LedgerRules } from '../../formats/driver.js';
import type { DbState, Version } from '../../formats/types.js';
import { NIL_VERSION } from '../../formats/types.js';
import type { Intent, MigrateStep, PlanResult, RecordStep, Refusal, Step } from '../plan-types.js';
import { planned as ok, refuse, type PlanModel } from '../plan.js';

/**
 * The planner's model for tools that track a set of applied migrations (dbmate, sqlx, Flyway, plain),
 * through the tool's {@link LedgerRules}. Pure. Every refusal happens before anything runs: a plan that
 * would reach a migration the tool cannot run or roll back is refused as a whole, saying which and why.
 */
export function setModel(rules: LedgerRules, format: string): PlanModel<FormatListing, FormatMigration> {
  return {
    format,
    canonical: (intent) => ({ intent }),
    record(listing, state, intent) {
      if (intent.kind !== 'repair') return record(rules, listing, state, intent, format);
      const r = rules.repair(listing, state.applied ?? []);
      if (r.refusal) return refuse({ kind: 'format', ...r.refusal });
      if (r.actions.length === 0) return refuse({ kind: 'no-change' });
      const steps: RecordStep[] = r.actions.map((a) => ({ kind: 'record', version: a.key, name: nameOf(listing, a.key), action: a.kind, text: a.text }));
      return ok(intent, state, steps, state.version);
    },
    blocked(listing) {
      const duplicate = listing.problems.find((p) => p.kind === 'duplicate');
      if (duplicate) return { kind: 'format', message: duplicate.message, hint: 'Nothing was run. Give each migration its own version.' };
      // A folder the tool cannot read as a whole (Flyway's "Unable to calculate checksum", sqlx's resolve errors): it runs nothing.
      const unreadable = listing.problems.find((p) => p.kind === 'unparsable' && p.key === undefined);
      if (unreadable) return { kind: 'format', message: unreadable.message, hint: 'Nothing was run. Fix the file, then try again.' };
      return undefined;
    },
    pending(listing, state, target, reverted = []) {
      const rows = (state.applied ?? []).filter((r) => !reverted.some((m) => m.key === r.key));
      const r = rules.pending(listing, rows, target?.key);
      return { apply: r.apply, ...(r.refusal ? { refusal: toolRefusal(r.refusal, r.apply.length, 'up') } : {}) };
    },
    revertible(listing, state, target) {
      const r = rules.revertible(listing, state.applied ?? [], target?.key);
      return {
        revert: r.revert,
        ...(r.refusal ? { refusal: toolRefusal(r.refusal, 0, 'down') } : {}),
        ...(r.blocked ? { blocked: toolRefusal(r.blocked.refusal, r.revert.length, 'down') } : {}),
      };
    },
    find: (listing, version) => listing.migrations.find((m) => m.version !== null && rules.compare(m.version, version) === 0),
    hasMigrations: (listing) => listing.migrations.length > 0,
    up: (_l, m) => ledgerUp(m),
    down: (_l, m) => ledgerDown(m),
    to(listing, state, steps, reverted) {
      const added = steps.filter((s) => s.direction === 'up').map((s) => byKey(listing, s.version)!);
      return rules.current(listing, simulate(state.applied ?? [], added, reverted.map((m) => m.key))) ?? NIL_VERSION;
    },
  };
}

function record(rules: LedgerRules, listing: FormatListing, state: DbState, intent: Extract<Intent, { kind: 'force' | 'forget' }>, format: string): PlanResult {
  const rows = state.applied ?? [];
  const entry = rules.entries(listing, rows).find((e) => e.key === intent.version || (e.migration?.version != null && safeCompare(rules, e.migration.version, intent.version) === 0));
  if (!entry) return refuse({ kind: 'version-not-found', version: intent.version, role: 'target' });
  const name = entry.migration?.description ?? entry.row?.description ?? '';
  const step = (action: RecordStep['action'], text: string): RecordStep => ({ kind: 'record', version: entry.key, name, action, text });
  const steps: Step[] = [];
  if (intent.kind === 'force') {
    if (!entry.migration) return refuse({ kind: 'format', message: `${format} cannot record ${entry.key} as applied: there is no file for it.`, hint: 'Restore the file first.' });
    if (entry.state === 'applied') return refuse({ kind: 'no-change' });
    if (entry.state === 'changed') steps.push(step('align-checksum', `store the file's checksum for ${entry.key} (the row stays applied)`));
    else {
      if (entry.state === 'dirty') steps.push(step('remove-failed', `delete the failed row of ${entry.key}`));
      steps.push(step('applied', `record ${entry.key} as applied without running it: ${rules.forceMeaning}`));
    }
  } else {
    if (entry.state === 'pending' || entry.state === 'skipped') return refuse({ kind: 'no-change' });
    if (entry.state === 'dirty') steps.push(step('remove-failed', `delete the failed row of ${entry.key} without running anything`));
    else steps.push(step('reverted', `record ${entry.key} as not applied without running its down SQL`));
  }
  const applied = simulate(rows, steps.flatMap((s) => (s.kind === 'record' && s.action === 'applied' && entry.migration ? [entry.migration] : [])), steps.some((s) => s.kind === 'record' && s.action !== 'applied' && s.action !== 'align-checksum') ? [entry.key] : []);
  return ok(intent, state, steps, rules.current(listing, applied) ?? NIL_VERSION);
}

function safeCompare(rules: LedgerRules, a: string, b: string): number {
  try {
    return rules.compare(a, b);
  } catch {
    return a === b ? 0 : 1;
  }
}

/** The rows after the plan, as far as "which version is current" is concerned. */
function simulate(rows: AppliedMigration[], added: FormatMigration[], removed: string[]): AppliedMigration[] {
  const kept = rows.filter((r) => !removed.includes(r.key));
  const rank = Math.max(0, ...rows.map((r) => r.installedRank ?? 0));
  return [...kept, ...added.map((m, i) => ({ key: m.key, version: m.version, description: m.description, checksum: m.checksum, success: true, installedRank: rank + i + 1, type: 'SQL' }))];
}

/** The step that runs m's up as the tool does. */
export function ledgerUp(m: FormatMigration): MigrateStep {
  return { kind: 'migrate', version: m.key, name: m.description, direction: 'up', file: m.up && fileOf(m.up), target: m.key, ...(m.kind === 'repeatable' ? { repeatable: true } : {}) };
}

/** The step that runs m's down as the tool does. */
export function ledgerDown(m: FormatMigration): MigrateStep {
  return { kind: 'migrate', version: m.key, name: m.description, direction: 'down', file: m.down && fileOf(m.down), target: m.key };
}

function fileOf(f: NonNullable<FormatMigration['up']>) {
  return { path: f.path, file: f.file, name: f.file, sql: f.sql, transaction: f.transaction };
}

function byKey(listing: FormatListing, key: Version): FormatMigration | undefined {
  return listing.migrations.find((m) => m.key === key);
}

function nameOf(listing: FormatListing, key: string): string {
  return byKey(listing, key)?.description ?? '';
}

/** The tool's refusal, saying how much of the request could still be done. */
function toolRefusal(r: LedgerRefusal, possible: number, direction: 'up' | 'down'): Refusal {
  const partial = possible > 0 ? ` Nothing was run; "${direction} ${possible}" stops before it.` : ' Nothing was run.';
  return { kind: 'format', message: r.message, hint: `${r.hint ?? ''}${partial}`.trim() };
}

