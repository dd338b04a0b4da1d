import type { FormatMigration, LedgerEntry, LedgerRules, LedgerState, RepairAction } from '../driver.js';
import { FAILED_STATES, flywayInfo, flywayPending, flywayValidate, type FlywayInfoEntry, type FlywayState } from './info.js';
import { compareFlywayVersions, parseFlywayVersion } from './version.js';

/** Rows that are history, not the state of a migration: a later row or a DELETE row speaks for them. */
const HISTORY = new Set<FlywayState>(['Superseded', 'Deleted', 'Undone']);

const STATE: Partial<Record<FlywayState, LedgerState>> = {
  Pending: 'pending',
  Success: 'applied',
  Baseline: 'applied',
  'Out of Order': 'applied',
  Failed: 'dirty',
  'Failed (Missing)': 'dirty',
  'Failed (Future)': 'dirty',
  Missing: 'missing',
  Future: 'missing',
  Outdated: 'outdated',
};

const cmp = (a: string, b: string) => compareFlywayVersions(parseFlywayVersion(a), parseFlywayVersion(b));

/** One entry per migration: the current state of each version and repeatable, in `flyway info` order. */
function current(info: FlywayInfoEntry[]): FlywayInfoEntry[] {
  const seen = new Map<string, FlywayInfoEntry>();
  for (const e of info) {
    if (HISTORY.has(e.state) || e.type === 'DELETE' || e.type === 'SCHEMA') continue;
    const had = seen.get(e.key);
    // An Outdated repeatable's row and its Pending re-run are one migration: keep the row's state.
    if (!had || had.state === 'Pending') seen.set(e.key, e);
  }
  return [...seen.values()];
}

/**
 * Flyway 13's rules (docs/formats-spec.md §3.7-3.10): migrate validates first (failed rows, changed
 * checksums, rows without files and out-of-order files all stop it), then applies pending versions in
 * order and due repeatables after them. Undo (U files) is a Flyway Teams feature: Ladder runs the U
 * file and writes the DELETE row open-source Flyway understands, and refuses a version without one.
 */
export const flywayRules: LedgerRules = {
  entries(listing, rows) {
    const info = flywayInfo(listing.migrations, rows);
    const validate = flywayValidate(info, { pendingIgnored: true });
    return current(info).map((e): LedgerEntry => {
      const problems = listing.problems.filter((p) => p.key === e.key).map((p) => p.message);
      const stored = e.row?.checksum;
      const local = e.migration?.checksum;
      const changed = e.state === 'Success' && e.migration && e.row && e.version !== null && (stored ?? null) !== (local ?? null);
      if (changed) {
        problems.unshift(validate.find((v) => v.startsWith(`Migration checksum mismatch for migration version ${e.version}\n`)) ?? 'checksum mismatch');
        return { key: e.key, migration: e.migration, row: e.row, state: 'changed', label: 'Success (checksum mismatch)', checksum: { stored: stored ?? '', local: local ?? '' }, problems };
      }
      if (e.state === 'Ignored') problems.unshift(`Ignored: version ${e.version} is below the current version and Flyway's outOfOrder is off, so migrate refuses it.`);
      if (e.state === 'Outdated') problems.unshift('Outdated: the file changed since it last ran, so migrate re-runs it.');
      return { key: e.key, migration: e.migration, row: e.row, state: STATE[e.state] ?? 'skipped', label: e.state, problems };
    });
  },

  current(listing, rows) {
    let best: string | null = null;
    for (const e of current(flywayInfo(listing.migrations, rows)))
      if (e.version !== null && (e.state === 'Success' || e.state === 'Out of Order' || e.state === 'Baseline') && (best === null || cmp(e.version, best) > 0)) best = e.version;
    return best;
  },

  failed(rows) {
    const e = flywayInfo([], rows).find((x) => FAILED_STATES.has(x.state));
    return e ? e.key : null;
  },

  pending(listing, rows, target) {
    const info = flywayInfo(listing.migrations, rows);
    const errors = flywayValidate(info, { pendingIgnored: true });
    if (errors.length > 0)
      return {
        apply: [],
        refusal: {
          message: `Validate failed: Migrations have failed validation\n${errors.join('\n')}`,
          hint: 'This is what flyway migrate would stop with. "repair" does what flyway repair does.',
        },
      };
    const apply = flywayPending(info).filter((m) => target === undefined || m.version === null || cmp(m.version, target) <= 0);
    const unsupported = apply.find((m) => (m.up as { unsupported?: string } | undefined)?.unsupported);
    if (unsupported) return { apply: apply.slice(0, apply.indexOf(unsupported)), refusal: { message: (unsupported.up as unknown as { unsupported: string }).unsupported } };
    return { apply };
  },

  revertible(listing, rows, target) {
    const applied = current(flywayInfo(listing.migrations, rows))
      .filter((e) => e.version !== null && (e.state === 'Success' || e.state === 'Out of Order'))
      .sort((a, b) => cmp(b.version!, a.version!));
    const revert: FormatMigration[] = [];
    for (const e of applied) {
      if (target !== undefined && cmp(e.version!, target) <= 0) break;
      if (!e.migration?.down)
        return {
          revert,
          blocked: {
            key: e.key,
            refusal: {
              message: `Flyway cannot undo version ${e.version}: there is no U${e.version}__ file for it.`,
              hint: `Undo is a Flyway Teams feature that runs a U file. Add U${e.version}__${e.description.replaceAll(' ', '_')}.sql, or "forget ${e.version}" to record it as not applied without running anything.`,
            },
          },
        };
      revert.push(e.migration);
    }
    return { revert };
  },

  repair(listing, rows) {
    const info = flywayInfo(listing.migrations, rows);
    const actions: RepairAction[] = [];
    for (const e of info) {
      const what = e.version === null ? `repeatable "${e.description}"` : `version ${e.version}`;
      if (FAILED_STATES.has(e.state)) actions.push({ kind: 'remove-failed', key: e.key, text: `delete the failed row of ${what}` });
      else if (e.state === 'Missing' || e.state === 'Future') actions.push({ kind: 'mark-deleted', key: e.key, text: `add a DELETE row for ${what} (its file is gone)` });
      else if (e.state === 'Success' && e.version !== null && e.migration && e.row && e.type === 'SQL') {
        const m = e.migration;
        if ((e.row.checksum ?? null) !== (m.checksum ?? null) || e.row.description !== m.description)
          actions.push({ kind: 'align-checksum', key: e.key, text: `update the checksum and description of ${what} to the file's (${e.row.checksum ?? 'null'} → ${m.checksum ?? 'null'})` });
      }
    }
    return { actions };
  },

  noDown: (m) =>
    m.version === null
      ? `Repeatable migrations have no undo: Flyway re-runs ${m.up?.file ?? m.key} whenever its checksum changes.`
      : `Flyway cannot undo version ${m.version}: there is no U${m.version}__ file for it. Undo (a Flyway Teams feature) runs a U${m.version}__${m.description.replaceAll(' ', '_')}.sql file; add one.`,

  compare: cmp,

  recovery: {
    tool: 'Flyway',
    rerun: 'flyway migrate runs the script again from its first statement',
    markApplied: 'write the success row flyway migrate -skipExecutingMigrations writes, without running the script',
    forget: 'mark it deleted in the history table as flyway repair does, without running anything',
    removeFailed: 'flyway repair deletes the failed row',
    undoUnapplied: false,
  },
  forceMeaning: 'inserts the history row flyway migrate -skipExecutingMigrations would write, without running it',
  baselineMeaning: "the row `flyway baseline -baselineVersion=V` writes for the last of them (type BASELINE, '<< Flyway Baseline >>', no checksum), so Flyway counts everything up to V as done; Flyway baselines only a history with no migrations in it",
};
