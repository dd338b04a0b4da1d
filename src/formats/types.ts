import type { Queryable } from '../db/queryable.js';

/**
 * A migration's version exactly as its tool writes it: golang-migrate's uint64 in canonical decimal,
 * dbmate's leading digits ("001" and "1" differ), sqlx's i64, Flyway's dotted "1.2". "-1" means "no version".
 */
export type Version = string;
export const NIL_VERSION: Version = '-1';

/**
 * golang-migrate's numeric order (uint64; -1 below everything) over canonical decimal text (no leading
 * zeros, as parse-name and PostgreSQL's version::text give it): by length, then by digits. No BigInt:
 * sorting 10,000 versions must not allocate per comparison.
 */
export function compareNumeric(a: Version, b: Version): number {
  if (a === b) return 0;
  const an = a.charCodeAt(0) === 45; // '-'
  const bn = b.charCodeAt(0) === 45;
  if (an || bn) {
    if (an !== bn) return an ? -1 : 1;
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : 1;
}

export type Direction = 'up' | 'down';

export interface MigrationFile {
  /** Absolute path. */
  path: string;
  /** File name inside the folder. */
  file: string;
  /** The name part of this file (golang-migrate logs a step with the name of the file it ran). */
  name: string;
  /** The text the tool runs, when it is one section of the file (dbmate's up or down section). */
  sql?: string;
  /** Whether the tool runs it in a transaction with its tracking-table write (absent: golang-migrate's rule, none). */
  transaction?: boolean;
  /** The tool sends each statement as its own query (Flyway); absent: the whole text as one query (one implicit transaction). */
  eachStatement?: boolean;
}

export interface Migration {
  version: Version;
  /** golang-migrate's "identifier": the part between `<version>_` and `.up|.down`. */
  name: string;
  up?: MigrationFile;
  down?: MigrationFile;
  /** A Flyway repeatable (R__ file): no version; its key is "R__<description>". */
  repeatable?: boolean;
}

export type SourceProblem =
  | { kind: 'duplicate'; version: Version; direction: Direction; files: string[] }
  | { kind: 'missing-down'; version: Version }
  | { kind: 'missing-up'; version: Version }
  | { kind: 'gap'; after: Version; before: Version; missing: number }
  /** Another tool's problem with the folder, in that tool's words (dbmate, sqlx, Flyway). */
  | { kind: 'format'; version?: Version; message: string };

export interface SourceListing {
  dir: string;
  /** Sorted ascending by version, one entry per version. */
  migrations: Migration[];
  problems: SourceProblem[];
  /** Files in the folder that do not match the format's pattern (ignored, as the real tool ignores them). */
  ignored: string[];
}

/** What the tracking table says. */
export interface DbState {
  /** The tool's current version (the latest applied), or NIL_VERSION. */
  version: Version;
  dirty: boolean;
  /** Tools that track a set of applied migrations (dbmate, sqlx, Flyway): their rows. */
  applied?: AppliedMigration[];
}

/** Reads the migrations folder of one format. */
export interface Source {
  read(dir: string): Promise<SourceListing>;
}

export type { Queryable };

/** Reads and writes one format's tracking table and takes its lock. */
export interface Tracker {
  /** Human-readable qualified table name, e.g. "public"."schema_migrations". */
  readonly table: string;
  /** The schema the table is in (Ladder's journal sits beside it). */
  readonly schema: string;
  readonly lockId: string;
  /** Whether the tool itself takes that lock (false: Ladder's lock does not exclude the tool). */
  readonly toolLocks: boolean;
  ensureTable(db: Queryable): Promise<void>;
  readState(db: Queryable): Promise<DbState>;
  /**
   * SQL that records (version, dirty), for use inside a caller-built batch. replacesOwnRow: the caller
   * holds the lock and its previous write left exactly one row, so it may be updated in place.
   */
  setVersionSql(version: Version, dirty: boolean, replacesOwnRow?: boolean): string;
  /**
   * setVersionSql(…, replacesOwnRow) as one statement (no semicolon) whose version is `versionSql`, a
   * parameter of type `versionType` ($1), for a statement prepared once per run.
   */
  readonly ownRowUpdate: { versionType: string; sql(versionSql: string, dirty: boolean): string };
  setVersion(db: Queryable, version: Version, dirty: boolean): Promise<void>;
  /** Drops every table in the current schema (golang-migrate's `drop`). */
  drop(db: Queryable): Promise<string[]>;
}

/** One row of the tool's tracking table, in the tool's terms. */
export interface AppliedMigration {
  key: string;
  version: string | null;
  description?: string;
  checksum?: string;
  success: boolean;
  installedRank?: number;
  installedOn?: string;
  installedBy?: string;
  executionTimeMs?: number;
  type?: string;
  script?: string;
}
