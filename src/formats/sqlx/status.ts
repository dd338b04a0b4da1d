import type { AppliedMigration, FormatListing, FormatMigration } from '../driver.js';

/** sqlx's MigrateError texts (sqlx-core/src/migrate/error.rs, 0.8.6). */
export const sqlxMessages = {
  dirty: (v: string) => `migration ${v} is partially applied; fix and remove row from \`_sqlx_migrations\` table`,
  missing: (v: string) => `migration ${v} was previously applied but is missing in the resolved migrations`,
  modified: (v: string) => `migration ${v} was previously applied but has been modified`,
  notPresent: (v: string) => `migration ${v} is not present in the migration source`,
  tooOld: (target: string, latest: string) => `migration ${target} is older than the latest applied migration ${latest}`,
  tooNew: (target: string, latest: string) => `migration ${target} is newer than the latest applied migration ${latest}`,
};

const big = (s: string | null | undefined): bigint => BigInt(s ?? '0');
const byVersion = (a: { version: string | null }, b: { version: string | null }) => {
  const x = big(a.version);
  const y = big(b.version);
  return x < y ? -1 : x > y ? 1 : 0;
};

/** sqlx's `dirty_version`: the lowest version whose row has success = false, or null. */
export function sqlxDirtyVersion(rows: AppliedMigration[]): string | null {
  const dirty = rows.filter((r) => !r.success).sort(byVersion)[0];
  return dirty ? dirty.key : null;
}

export interface ChecksumMismatch {
  version: string;
  /** Hex stored in `_sqlx_migrations`. */
  applied: string;
  /** Hex of the file now. */
  local: string;
}

/** Applied versions whose stored checksum differs from the file's (sqlx compares all 48 bytes). */
export function sqlxChecksumMismatches(migrations: FormatMigration[], rows: AppliedMigration[]): ChecksumMismatch[] {
  const applied = new Map(rows.map((r) => [r.key, r]));
  const out: ChecksumMismatch[] = [];
  for (const m of migrations) {
    const row = applied.get(m.key);
    if (row && m.up && m.checksum !== undefined && row.checksum !== m.checksum) out.push({ version: m.key, applied: row.checksum ?? '', local: m.checksum });
  }
  return out;
}

/** `sqlx migrate info` without colours: one line per up/simple migration, two more on a mismatch. */
export function sqlxInfoLines(listing: FormatListing, rows: AppliedMigration[]): string[] {
  const applied = new Map(rows.map((r) => [r.key, r]));
  const lines: string[] = [];
  for (const m of listing.migrations) {
    if (!m.up) continue;
    const row = applied.get(m.key);
    if (!row) {
      lines.push(`${m.key}/pending ${m.description}`);
    } else if (row.checksum !== m.checksum) {
      lines.push(`${m.key}/installed (different checksum) ${m.description}`);
      lines.push(`applied migration had checksum ${row.checksum ?? ''}`);
      lines.push(`local migration has checksum ${m.checksum ?? ''}`);
    } else {
      lines.push(`${m.key}/installed ${m.description}`);
    }
  }
  return lines;
}

export interface SqlxRunPlan {
  /** Migrations `sqlx migrate run` applies, in order (before `error`, when there is one). */
  apply: FormatMigration[];
  /** Pending migrations above --target-version ("Skipped"). */
  skipped: FormatMigration[];
  /** The error sqlx stops with, after applying `apply`. */
  error?: string;
}

export interface SqlxPlanOptions {
  targetVersion?: string;
  ignoreMissing?: boolean;
}

function preamble(listing: FormatListing, rows: AppliedMigration[], opts: SqlxPlanOptions): string | undefined {
  const resolveError = listing.problems.find((p) => p.kind === 'unparsable');
  if (resolveError) return resolveError.message;
  const dirty = sqlxDirtyVersion(rows);
  if (dirty !== null) return sqlxMessages.dirty(dirty);
  if (!opts.ignoreMissing) {
    const known = new Set(listing.migrations.map((m) => m.key));
    const missing = [...rows].sort(byVersion).find((r) => !known.has(r.key));
    if (missing) return sqlxMessages.missing(missing.key);
  }
  return undefined;
}

function latestApplied(rows: AppliedMigration[]): bigint {
  return rows.reduce((max, r) => (big(r.version) > max ? big(r.version) : max), 0n);
}

/**
 * `sqlx migrate run [--target-version T]` (sqlx-cli/src/migrate.rs `run`): dirty check, missing check,
 * then ascending; applied versions are checksum-checked as the loop reaches them, so lower pending
 * migrations are applied before a modified one stops the run. Out-of-order pending versions apply silently.
 */
export function sqlxRunPlan(listing: FormatListing, rows: AppliedMigration[], opts: SqlxPlanOptions = {}): SqlxRunPlan {
  const plan: SqlxRunPlan = { apply: [], skipped: [] };
  const target = opts.targetVersion === undefined ? undefined : BigInt(opts.targetVersion);
  if (target !== undefined && !listing.migrations.some((m) => big(m.version) === target)) return { ...plan, error: sqlxMessages.notPresent(String(target)) };
  const stop = preamble(listing, rows, opts);
  if (stop) return { ...plan, error: stop };
  const latest = latestApplied(rows);
  if (target !== undefined && target < latest) return { ...plan, error: sqlxMessages.tooOld(String(target), String(latest)) };
  const applied = new Map(rows.map((r) => [r.key, r]));
  for (const m of listing.migrations) {
    if (!m.up) continue;
    const row = applied.get(m.key);
    if (row) {
      if (row.checksum !== m.checksum) return { ...plan, error: sqlxMessages.modified(m.key) };
    } else if (target !== undefined && big(m.version) > target) plan.skipped.push(m);
    else plan.apply.push(m);
  }
  return plan;
}

export interface SqlxRevertPlan {
  /** Migrations `sqlx migrate revert` reverts, in order (highest first). */
  revert: FormatMigration[];
  skipped: FormatMigration[];
  error?: string;
}

/**
 * `sqlx migrate revert [--target-version T]`: descending over applied versions that have a .down.sql.
 * Without T only the first one (a higher applied simple migration is passed over); T = 0 reverts all.
 */
export function sqlxRevertPlan(listing: FormatListing, rows: AppliedMigration[], opts: SqlxPlanOptions = {}): SqlxRevertPlan {
  const plan: SqlxRevertPlan = { revert: [], skipped: [] };
  const target = opts.targetVersion === undefined ? undefined : BigInt(opts.targetVersion);
  if (target !== undefined && target !== 0n && !listing.migrations.some((m) => big(m.version) === target))
    return { ...plan, error: sqlxMessages.notPresent(String(target)) };
  const stop = preamble(listing, rows, opts);
  if (stop) return { ...plan, error: stop };
  const latest = latestApplied(rows);
  if (target !== undefined && target > latest) return { ...plan, error: sqlxMessages.tooNew(String(target), String(latest)) };
  const applied = new Set(rows.map((r) => r.key));
  for (const m of [...listing.migrations].reverse()) {
    if (!m.down || !applied.has(m.key)) continue;
    if (target !== undefined && big(m.version) <= target) plan.skipped.push(m);
    else plan.revert.push(m);
    if (target === undefined) break;
  }
  return plan;
}
