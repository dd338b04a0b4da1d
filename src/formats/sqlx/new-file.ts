import { LadderError, UsageError } from '../../errors.js';
import { parseSqlxName, type SqlxMigrationType } from './parse-name.js';

/** A file to create: a bare name (no directory) and its exact contents. */
export interface NewMigrationFile {
  name: string;
  contents: string;
}

export interface SqlxNewOptions {
  /** The clock reading used for a timestamp version (sqlx: `Utc::now()`). */
  now: Date;
  /** `-r`: a reversible pair, but only when the folder has no migrations yet (see {@link sqlxNewFiles}). */
  reversible?: boolean;
  /** `-s` / `--sequential`. */
  sequential?: boolean;
  /** `-t` / `--timestamp`. */
  timestamp?: boolean;
  /**
   * Names of the regular files (or symlinks to files) in the folder, in directory-listing order.
   * sqlx skips everything else; the order only matters for ties between files of the same version.
   */
  existing: string[];
}

export interface SqlxNewResult {
  files: NewMigrationFile[];
  /** The version prefix written before `_`. */
  version: string;
  ordering: 'timestamp' | 'sequential';
  /** Whether an `.up.sql`/`.down.sql` pair was made. */
  reversible: boolean;
  /** `-r` was asked for but sqlx ignores it: the folder's first migration is a simple one. */
  reversibleIgnored: boolean;
}

/** `MigrationType::file_content` (sqlx-core/src/migrate/migration_type.rs, v0.8.6). */
export const SQLX_TEMPLATES: Record<SqlxMigrationType, string> = {
  simple: '-- Add migration script here\n',
  'reversible-up': '-- Add up migration script here\n',
  'reversible-down': '-- Add down migration script here\n',
};

/** `MigrationType::suffix`. */
const SUFFIXES: Record<SqlxMigrationType, string> = {
  simple: '.sql',
  'reversible-up': '.up.sql',
  'reversible-down': '.down.sql',
};

const I64_MAX = 2n ** 63n - 1n;

/** chrono's `Utc::now().format("%Y%m%d%H%M%S")` for years 0–9999. */
export function sqlxTimestamp(now: Date): string {
  if (Number.isNaN(now.getTime())) throw new LadderError('cannot name a migration after an invalid date');
  const year = now.getUTCFullYear();
  if (year < 0 || year > 9999) throw new LadderError(`cannot name a migration after the year ${year}`, 'Check the system clock.');
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
}

/** Rust's `format!("{:04}", v)` for an i64: zero padding after the sign, the sign counting towards the width. */
export function sqlxSequential(version: bigint): string {
  if (version > I64_MAX) {
    throw new LadderError(`the next sqlx version would be ${version}, beyond the 64-bit limit`, 'Use --timestamp, or renumber the migrations.');
  }
  const sign = version < 0n ? '-' : '';
  const digits = String(version < 0n ? -version : version);
  return sign + digits.padStart(4 - sign.length, '0');
}

interface Existing {
  version: bigint;
  type: SqlxMigrationType;
}

/**
 * What `sqlx migrate add [-r] [-s|-t] DESCRIPTION` writes, sqlx-cli v0.8.6 (`sqlx-cli/src/migrate.rs`
 * `add`, `create_file`, `MigrationOrdering::infer`; `sqlx-core/src/migrate/migration_type.rs`
 * `MigrationType::infer`; docs/formats-spec.md §2.9).
 *
 * - The folder is resolved first, as `Migrator::new` does: a `.sql` name whose part before the first
 *   `_` is not an i64 fails the whole command (`while resolving migrations: error parsing migration
 *   filename …`), even with `--timestamp`. Names sqlx skips are ignored. Migrations are sorted by
 *   version (stable, so equal versions keep the listing order).
 * - Type: when any migration exists, the **first** (lowest version) one decides: a reversible pair if it
 *   is `.up.sql` or `.down.sql`, otherwise a simple file, whatever `-r` says. Only an empty folder
 *   follows `-r`. v0.8.6 has no refusal for folders that mix simple and reversible files:
 *   `MigrateError::InvalidMixReversibleAndSimple` is deprecated and never raised (the CLI raised it
 *   in v0.7).
 * - Version: `--timestamp` gives UTC `YYYYMMDDhhmmss`; `--sequential` gives the highest version + 1
 *   (down files included), or 1, as `{:04}`. With neither: among the up and simple files only, the
 *   last two differing by exactly 1, or a single one with version 0 or 1, infer sequential (last + 1);
 *   anything else infers a timestamp.
 * - Name: `<version>_<description with each ' ' replaced by '_'><.sql|.up.sql|.down.sql>`; the
 *   description is otherwise verbatim (sqlx accepts an empty one).
 * - Contents: {@link SQLX_TEMPLATES}; the up file comes before the down file.
 *
 * Ladder's own guards, where sqlx would do something worse:
 * - sqlx's `File::create` overwrites a file of the same name (same second, same description); here
 *   that is an error.
 * - A description with `/` or NUL is refused (sqlx would try to create it below the folder).
 * - sqlx's `last + 1` wraps past i64::MAX in a release build; here that is an error.
 */
export function sqlxNewFiles(description: string, opts: SqlxNewOptions): SqlxNewResult {
  if (opts.sequential && opts.timestamp) throw new UsageError("the argument '--sequential' cannot be used with '--timestamp'");
  if (description.includes('/') || description.includes('\0')) {
    throw new LadderError(`migration description ${JSON.stringify(description)} contains "/" or NUL`, 'Use plain words such as "create users".');
  }

  const migrations: Existing[] = [];
  for (const name of opts.existing) {
    const parsed = parseSqlxName(name);
    if (parsed.kind === 'error') throw new LadderError(`while resolving migrations: ${parsed.message}`, 'Rename or move the file: sqlx reads every <something>_<something>.sql name in the folder.');
    if (parsed.kind === 'migration') migrations.push({ version: parsed.version, type: parsed.type });
  }
  // Array.prototype.sort is stable, like Rust's sort_by_key.
  migrations.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));

  const first = migrations[0];
  const reversible = first ? first.type !== 'simple' : opts.reversible === true;
  const reversibleIgnored = opts.reversible === true && !reversible;

  let ordering: 'timestamp' | 'sequential';
  let next: bigint | undefined;
  if (opts.timestamp) {
    ordering = 'timestamp';
  } else if (opts.sequential) {
    ordering = 'sequential';
    next = (migrations[migrations.length - 1]?.version ?? 0n) + 1n;
  } else {
    const ups = migrations.filter((m) => m.type !== 'reversible-down');
    const last = ups[ups.length - 1];
    const preLast = ups[ups.length - 2];
    if (last && preLast) {
      if (last.version - preLast.version === 1n) next = last.version + 1n;
    } else if (last && (last.version === 0n || last.version === 1n)) {
      next = last.version + 1n;
    }
    ordering = next === undefined ? 'timestamp' : 'sequential';
  }
  const version = next === undefined ? sqlxTimestamp(opts.now) : sqlxSequential(next);

  const stem = `${version}_${description.replaceAll(' ', '_')}`;
  const types: SqlxMigrationType[] = reversible ? ['reversible-up', 'reversible-down'] : ['simple'];
  const files = types.map((type) => ({ name: stem + SUFFIXES[type], contents: SQLX_TEMPLATES[type] }));
  const clash = files.find((f) => opts.existing.includes(f.name));
  if (clash) {
    throw new LadderError(`${clash.name} already exists`, 'sqlx would overwrite it; wait a second, or pick another description.');
  }
  return { files, version, ordering, reversible, reversibleIgnored };
}
