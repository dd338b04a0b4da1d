import type { AppliedMigration, FormatMigration } from '../driver.js';
import { LadderError } from '../../errors.js';
import { abbreviateDescription } from './sql.js';
import { canonicalFlywayVersion, compareFlywayVersions, tryParseFlywayVersion, type FlywayVersion } from './version.js';

/** api/MigrationState.java display names. */
export type FlywayState =
  | 'Pending'
  | 'Above Target'
  | 'Below Baseline'
  | 'Ignored (Baseline)'
  | 'Baseline'
  | 'Ignored'
  | 'Missing'
  | 'Failed (Missing)'
  | 'Success'
  | 'Undone'
  | 'Available'
  | 'Failed'
  | 'Out of Order'
  | 'Future'
  | 'Failed (Future)'
  | 'Outdated'
  | 'Superseded'
  | 'Deleted';

/** MigrationState's `applied` flag. */
const APPLIED_STATES = new Set<FlywayState>([
  'Baseline', 'Missing', 'Failed (Missing)', 'Success', 'Undone', 'Failed', 'Out of Order', 'Future', 'Failed (Future)', 'Outdated', 'Superseded', 'Deleted',
]);
export const FAILED_STATES = new Set<FlywayState>(['Failed (Missing)', 'Failed', 'Failed (Future)']);

/** CoreMigrationType flags: synthetic rows are never resolved from files. */
const SYNTHETIC = new Set(['SCHEMA', 'BASELINE', 'DELETE']);
const isBaselineType = (t: string) => t === 'BASELINE';
/** Teams-edition undo rows (not readable by open-source Flyway, which fails on unknown types). */
const isUndoType = (t: string) => t === 'UNDO_SQL' || t === 'UNDO_SCRIPT';

export interface FlywayInfoEntry {
  /** The listing key: canonical version, or R__<description>; SCHEMA for the schema-creation marker. */
  key: string;
  /** MigrationInfoDumper.getCategory: Versioned, Repeatable, Baseline, Undo, or '' for synthetic rows. */
  category: string;
  version: string | null;
  description: string;
  type: string;
  script: string;
  installedRank?: number;
  installedOn?: string;
  state: FlywayState;
  migration?: FormatMigration;
  row?: AppliedMigration;
}

export interface FlywayInfoOptions {
  /** Flyway's outOfOrder (default false): pending versions below the current one are Ignored unless set. */
  outOfOrder?: boolean;
}

interface Attrs {
  row: AppliedMigration;
  version: FlywayVersion | null;
  type: string;
  outOfOrder: boolean;
  deleted: boolean;
  undone: boolean;
}

interface Resolved {
  m: FormatMigration;
  version: FlywayVersion | null;
}

function rowVersion(row: AppliedMigration): FlywayVersion | null {
  if (row.version === null || row.version === undefined) return null;
  const v = tryParseFlywayVersion(row.version);
  if (!v) throw new LadderError(`flyway_schema_history holds the version "${row.version}", which is not a Flyway version.`);
  return v;
}

/** EMPTY (null) is below every version; a null baseline compares as "greater" (MigrationVersion.compareTo(null) = 1). */
const cmp = (a: FlywayVersion, b: FlywayVersion | null): number => (b === null ? 1 : compareFlywayVersions(a, b));

/** Applied rows with Flyway's per-row attributes (MigrationInfoServiceImpl.refresh). */
function appliedAttrs(rows: AppliedMigration[]) {
  const versioned: Attrs[] = [];
  const repeatable: Attrs[] = [];
  let appliedBaseline: FlywayVersion | null = null;
  const sorted = [...rows].sort((a, b) => (a.installedRank ?? 0) - (b.installedRank ?? 0));
  for (const row of sorted) {
    const version = rowVersion(row);
    const type = row.type ?? 'SQL';
    const a: Attrs = { row, version, type, outOfOrder: false, deleted: false, undone: false };
    if (version === null) {
      repeatable.push(a);
      if (type === 'DELETE' && row.success) {
        for (let i = repeatable.length - 1; i >= 0; i--) {
          const r = repeatable[i]!;
          if (!SYNTHETIC.has(r.type) && r.row.description === row.description) {
            r.deleted = true;
            break;
          }
        }
      }
      continue;
    }
    if (isBaselineType(type) && (appliedBaseline === null || compareFlywayVersions(version, appliedBaseline) > 0)) appliedBaseline = version;
    if (type === 'DELETE' && row.success) {
      for (let i = versioned.length - 1; i >= 0; i--) {
        const v = versioned[i]!;
        if (!SYNTHETIC.has(v.type) && v.version && compareFlywayVersions(v.version, version) === 0) {
          if (v.deleted) throw new LadderError(`Corrupted schema history: multiple delete entries for version ${version.display}`);
          v.deleted = true;
          break;
        }
      }
      continue;
    }
    if (isUndoType(type)) {
      // Teams edition (unverified): an undo row marks the latest applied row of its version as undone.
      for (let i = versioned.length - 1; i >= 0; i--) {
        const v = versioned[i]!;
        if (!isUndoType(v.type) && v.version && compareFlywayVersions(v.version, version) === 0) {
          v.undone = true;
          break;
        }
      }
    }
    versioned.push(a);
  }
  // updateContextFromAppliedVersionedMigrations
  let lastApplied: FlywayVersion | null = null;
  for (const a of versioned) {
    if (cmp(a.version!, lastApplied) > 0) {
      if (a.type !== 'DELETE' && !a.deleted && !a.undone && !isUndoType(a.type)) lastApplied = a.version;
    } else a.outOfOrder = true;
  }
  const latestRepeatableRuns = new Map<string, number>();
  for (const a of repeatable) {
    if (a.deleted && a.type === 'DELETE') continue;
    const d = a.row.description ?? '';
    const rank = a.row.installedRank ?? 0;
    if (!latestRepeatableRuns.has(d) || rank > latestRepeatableRuns.get(d)!) latestRepeatableRuns.set(d, rank);
  }
  return { versioned, repeatable, appliedBaseline, lastApplied, latestRepeatableRuns };
}

const checksumMatches = (m: FormatMigration | undefined, row: AppliedMigration) => m !== undefined && (m.checksum ?? null) === (row.checksum ?? null);

/**
 * `flyway info`: every file and history row with Flyway's state (docs/formats-spec.md §3.9), in
 * Flyway's order (applied rows by installed_rank, then pending: versioned by version, repeatables by
 * description). Defaults assumed: no target, no cherry-pick, no baseline migrations (B files).
 * Undo entries (U files, Teams-only) are left out, as `flyway info` lists them separately.
 */
export function flywayInfo(migrations: FormatMigration[], rows: AppliedMigration[], opts: FlywayInfoOptions = {}): FlywayInfoEntry[] {
  const resolvedVersioned = new Map<string, Resolved>();
  const resolvedRepeatable = new Map<string, Resolved>();
  let lastResolved: FlywayVersion | null = null;
  for (const m of migrations) {
    if (m.version === null) {
      resolvedRepeatable.set(m.description, { m, version: null });
      continue;
    }
    const version = tryParseFlywayVersion(m.version)!;
    if (lastResolved === null || compareFlywayVersions(version, lastResolved) > 0) lastResolved = version;
    resolvedVersioned.set(canonicalFlywayVersion(version), { m, version });
  }
  const ctx = appliedAttrs(rows);
  const pendingBaseline: FlywayVersion | null = null; // Ladder resolves no B (baseline) files

  const resolvedState = (r: Resolved): FlywayState => {
    if (r.version) {
      const ref = ctx.lastApplied === null ? pendingBaseline : ctx.appliedBaseline;
      if (ref !== null) {
        const c = compareFlywayVersions(r.version, ref);
        if (c < 0) return 'Below Baseline';
        if (c === 0) return 'Ignored (Baseline)';
      }
      if (ctx.lastApplied !== null && compareFlywayVersions(r.version, ctx.lastApplied) < 0 && !opts.outOfOrder) return 'Ignored';
    }
    return 'Pending';
  };

  const appliedState = (a: Attrs, resolved: Resolved | undefined): FlywayState => {
    if (a.undone) return 'Undone';
    if (a.deleted) return 'Deleted';
    if (a.type === 'DELETE') return 'Success';
    if (isBaselineType(a.type)) return 'Baseline';
    const rank = a.row.installedRank ?? 0;
    const latest = ctx.latestRepeatableRuns.get(a.row.description ?? '');
    const repeatableLatest = a.version !== null || latest === undefined || latest === rank;
    if (!resolved && repeatableLatest) {
      if (a.type === 'SCHEMA') return 'Success';
      if (a.version === null || (lastResolved !== null && compareFlywayVersions(a.version, lastResolved) < 0)) return a.row.success ? 'Missing' : 'Failed (Missing)';
      return a.row.success ? 'Future' : 'Failed (Future)';
    }
    if (!a.row.success) return 'Failed';
    if (a.type === 'SCHEMA') return 'Success';
    if (a.version === null) {
      if (rank === latest) return checksumMatches(resolved?.m, a.row) ? 'Success' : 'Outdated';
      return 'Superseded';
    }
    if (a.outOfOrder) return 'Out of Order';
    return 'Success';
  };

  const entries: FlywayInfoEntry[] = [];
  const category = (type: string, version: string | null) =>
    SYNTHETIC.has(type) ? '' : version === null ? 'Repeatable' : isUndoType(type) ? 'Undo' : isBaselineType(type) ? 'Baseline' : 'Versioned';
  const fromRow = (a: Attrs, resolved: Resolved | undefined): FlywayInfoEntry => ({
    key: a.version ? canonicalFlywayVersion(a.version) : a.type === 'SCHEMA' ? 'SCHEMA' : `R__${a.row.description ?? ''}`,
    category: category(a.type, a.row.version),
    version: a.row.version,
    description: a.row.description ?? '',
    type: a.type,
    script: a.row.script ?? '',
    ...(a.row.installedRank !== undefined ? { installedRank: a.row.installedRank } : {}),
    ...(a.row.installedOn !== undefined ? { installedOn: a.row.installedOn } : {}),
    state: appliedState(a, resolved),
    ...(resolved ? { migration: resolved.m } : {}),
    row: a.row,
  });
  const fromFile = (r: Resolved): FlywayInfoEntry => ({
    key: r.m.key,
    category: r.version ? 'Versioned' : 'Repeatable',
    version: r.m.version,
    description: r.m.description,
    type: 'SQL',
    script: (r.m as { script?: string }).script ?? r.m.up?.file ?? '',
    state: resolvedState(r),
    migration: r.m,
  });

  const pendingVersioned = new Set(resolvedVersioned.values());
  for (const a of ctx.versioned) {
    if (isUndoType(a.type)) continue; // listed separately by flyway info
    const resolved = a.type === 'SQL' ? resolvedVersioned.get(canonicalFlywayVersion(a.version!)) : undefined;
    entries.push(fromRow(a, resolved));
    if (resolved && !a.deleted && a.type !== 'DELETE' && !a.undone) pendingVersioned.delete(resolved);
  }
  for (const r of pendingVersioned) entries.push(fromFile(r));

  const pendingRepeatable = new Set(resolvedRepeatable.values());
  for (const a of ctx.repeatable) {
    const resolved = resolvedRepeatable.get(a.row.description ?? '');
    entries.push(fromRow(a, resolved));
    const latest = ctx.latestRepeatableRuns.get(a.row.description ?? '');
    if (resolved && !a.deleted && a.type !== 'DELETE' && a.row.installedRank === latest && checksumMatches(resolved.m, a.row)) pendingRepeatable.delete(resolved);
  }
  for (const r of pendingRepeatable) entries.push(fromFile(r));

  return entries.sort(compareEntries);
}

/** MigrationInfoImpl.compareTo. */
function compareEntries(a: FlywayInfoEntry, b: FlywayInfoEntry): number {
  if (a.installedRank !== undefined && b.installedRank !== undefined) return a.installedRank - b.installedRank;
  const below = (s: FlywayState) => s === 'Below Baseline' || s === 'Ignored (Baseline)';
  if (below(a.state) && APPLIED_STATES.has(b.state)) return -1;
  if (APPLIED_STATES.has(a.state) && below(b.state)) return 1;
  if (a.installedRank !== undefined) return -1;
  if (b.installedRank !== undefined) return 1;
  if (a.version !== null && b.version !== null) return compareFlywayVersions(a.version, b.version);
  if (a.version !== null) return -1;
  if (b.version !== null) return 1;
  return a.description < b.description ? -1 : a.description > b.description ? 1 : 0;
}

/** What `flyway migrate` would run next, in order: pending versioned by version, then due repeatables. */
export function flywayPending(info: FlywayInfoEntry[]): FormatMigration[] {
  return info.filter((e) => e.state === 'Pending' && e.migration).map((e) => e.migration!);
}

/**
 * Repeatables `flyway migrate` would (re-)run: never applied, or whose latest row's checksum differs
 * from the file (the old row turns Outdated), or whose latest row was marked deleted.
 */
export function flywayDueRepeatables(info: FlywayInfoEntry[]): FormatMigration[] {
  return flywayPending(info).filter((m) => m.version === null);
}

/**
 * The history row a U file (or a record-only revert) marks: the latest applied, not deleted, not
 * undone row of the version (or, for a repeatable, of the description).
 */
export function flywayActiveRow(m: FormatMigration, rows: AppliedMigration[]): AppliedMigration | undefined {
  const ctx = appliedAttrs(rows);
  if (m.version === null) {
    const latest = ctx.latestRepeatableRuns.get(m.description);
    const a = ctx.repeatable.find((r) => r.row.description === m.description && r.row.installedRank === latest && !r.deleted && !SYNTHETIC.has(r.type));
    return a?.row;
  }
  const version = tryParseFlywayVersion(m.version)!;
  for (let i = ctx.versioned.length - 1; i >= 0; i--) {
    const a = ctx.versioned[i]!;
    if (a.version && compareFlywayVersions(a.version, version) === 0 && !SYNTHETIC.has(a.type) && !isUndoType(a.type))
      return a.deleted || a.undone ? undefined : a.row;
  }
  return undefined;
}

export interface FlywayValidateOptions extends FlywayInfoOptions {
  /** `*:pending` ignored: true for migrate's validateOnMigrate, false for `flyway validate`. */
  pendingIgnored?: boolean;
}

/**
 * MigrationInfoImpl.validate for every entry with the default ignore patterns (`*:future`, plus
 * `*:pending` when pendingIgnored): the messages Flyway lists under "Validate failed".
 */
export function flywayValidate(info: FlywayInfoEntry[], opts: FlywayValidateOptions = {}): string[] {
  const errors: string[] = [];
  for (const e of info) {
    const s = e.state;
    if (s === 'Undone' || s === 'Above Target' || s === 'Deleted') continue;
    if (s === 'Future' || s === 'Failed (Future)') continue; // *:future
    if (opts.pendingIgnored && s === 'Pending') continue;
    if (FAILED_STATES.has(s)) {
      errors.push(
        e.version === null
          ? `Detected failed repeatable migration: ${e.description}.\nPlease remove any half-completed changes then run repair to fix the schema history.`
          : `Detected failed migration to version ${e.version} (${e.description}).\nPlease remove any half-completed changes then run repair to fix the schema history.`,
      );
      continue;
    }
    if (!e.migration && e.row && !SYNTHETIC.has(e.type) && !isUndoType(e.type) && s !== 'Superseded') {
      errors.push(
        `Detected applied migration not resolved locally: ${e.version ?? e.description}.\nIf you removed this migration intentionally, run repair to mark the migration as deleted.`,
      );
      continue;
    }
    if (s === 'Ignored') {
      errors.push(
        e.version !== null
          ? `Detected resolved migration not applied to database: ${e.version}.\nTo ignore this migration, set -ignoreMigrationPatterns='*:ignored'. To allow executing this migration, set -outOfOrder=true.`
          : `Detected resolved repeatable migration not applied to database: ${e.description}.\nTo ignore this migration, set -ignoreMigrationPatterns='*:ignored'.`,
      );
      continue;
    }
    if (!opts.pendingIgnored && s === 'Pending') {
      errors.push(
        e.version !== null
          ? `Detected resolved migration not applied to database: ${e.version}.\nTo fix this error, either run migrate, or set -ignoreMigrationPatterns='*:pending'.`
          : `Detected resolved repeatable migration not applied to database: ${e.description}.\nTo fix this error, either run migrate, or set -ignoreMigrationPatterns='*:pending'.`,
      );
      continue;
    }
    if (!opts.pendingIgnored && s === 'Outdated') {
      errors.push(`Detected outdated resolved repeatable migration that should be re-applied to database: ${e.description}.\nRun migrate to execute this migration.`);
      continue;
    }
    const m = e.migration;
    const row = e.row;
    if (m && row && e.type !== 'DELETE') {
      const id = row.version === null ? (row.script ?? '') : `version ${row.version}`;
      const mismatch = (what: string, applied: unknown, resolved: unknown) =>
        `Migration ${what} mismatch for migration ${id}\n-> Applied to database : ${applied}\n-> Resolved locally    : ${resolved}\nEither revert the changes to the migration, or run repair to update the schema history.`;
      if (e.type !== 'SQL') {
        errors.push(mismatch('type', e.type, 'SQL'));
        continue;
      }
      if ((m.version !== null || (opts.pendingIgnored && s !== 'Outdated' && s !== 'Superseded')) && !checksumMatches(m, row)) {
        errors.push(mismatch('checksum', row.checksum ?? null, m.checksum ?? null));
        continue;
      }
      const described = row.description === '<< no description >>' ? m.description !== '' : abbreviateDescription(m.description) !== row.description;
      if (described) errors.push(mismatch('description', row.description, m.description));
    }
  }
  return errors;
}
