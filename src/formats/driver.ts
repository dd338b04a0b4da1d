import type { Queryable } from '../db/queryable.js';
import type { FormatName } from './names.js';
import type { FormatDetector, TableRef, UrlTableOptions } from './detector.js';
import type { AppliedMigration, SourceListing, Tracker, Version } from './types.js';

/**
 * The interface every migration tool implements, in one of two tracking models: a set of applied rows
 * (dbmate, sqlx, Flyway, plain: {@link SetFormatModule}) or one version and a dirty flag
 * (golang-migrate: {@link VersionFormatModule}). Versions are strings: dbmate compares them as text
 * ("001" and "1" are different migrations) and Flyway's are dotted ("1.2.3"). docs/formats-spec.md
 * holds the facts each module reproduces.
 */

export interface FormatFile {
  /** Absolute path and file name. */
  path: string;
  file: string;
  /** The SQL the tool runs for this direction (for dbmate: one section of the file). */
  sql: string;
  /** Whether the tool runs it in a transaction together with its tracking-table write. */
  transaction: boolean;
  /** The tool sends each statement as its own query (Flyway); absent: the whole text as one query. */
  eachStatement?: boolean;
}

export interface FormatMigration {
  /** Unique within a listing: the version text, or "R__<description>" for a Flyway repeatable. */
  key: string;
  /** The version exactly as the tool stores it; null for repeatables. */
  version: string | null;
  description: string;
  kind: 'versioned' | 'repeatable';
  up?: FormatFile;
  /** dbmate down section, sqlx .down.sql, Flyway U file. */
  down?: FormatFile;
  /** The checksum the tool stores for this migration (sqlx: hex of SHA-384; Flyway: signed int32 as text). */
  checksum?: string;
}

export interface FormatProblem {
  kind: 'duplicate' | 'missing-down' | 'unparsable' | 'unsupported';
  key?: string;
  message: string;
}

export interface FormatListing {
  dir: string;
  /** In the order the tool applies them. */
  migrations: FormatMigration[];
  problems: FormatProblem[];
  /** Files in the folder the tool ignores. */
  ignored: string[];
}

export type { AppliedMigration };

export interface StepTiming {
  /** Wall time of the migration body, as the tool would measure and store it. */
  durationNs: bigint;
}

export interface FormatTracker {
  /** Qualified, quoted table name. */
  readonly table: string;
  /** The advisory lock key the tool takes; when it takes none, a key Ladder uses among its own runs. */
  readonly lockId: string;
  /** Whether the tool itself takes that lock (false: Ladder's lock does not exclude the tool). */
  readonly toolLocks: boolean;
  ensureTable(db: Queryable): Promise<void>;
  /** Rows as the tool reads them, in the tool's order. Missing table: []. */
  readApplied(db: Queryable): Promise<AppliedMigration[]>;
  /** Runs the up SQL exactly as the tool does, with the tracking-table write the tool makes. */
  applyUp(db: Queryable, m: FormatMigration): Promise<StepTiming>;
  /** Runs the down SQL (and removes or records the row) as the tool does. Throws when the tool cannot. */
  applyDown(db: Queryable, m: FormatMigration): Promise<StepTiming>;
  /** Record-only: what the tool's own force/repair would write to mark m applied (nothing is run). */
  recordApplied(db: Queryable, m: FormatMigration): Promise<void>;
  /** Record-only: remove m's row (or mark it undone), nothing is run. */
  recordReverted(db: Queryable, m: FormatMigration): Promise<void>;
  /** One step of the tool's repair (see {@link LedgerRules.repair}); nothing is run. */
  repair(db: Queryable, action: RepairAction, m?: FormatMigration): Promise<void>;
  /**
   * Baseline: record `migrations` (pending, in order) as applied without running them, as the tool's own
   * baseline writes it (creating its table where needed). Absent: {@link recordApplied} for each, after ensureTable.
   */
  recordBaseline?(db: Queryable, migrations: FormatMigration[]): Promise<void>;
  /** The tool's own `drop`/`clean`, when it removes more than the schema's tables (Flyway's clean). */
  clean?(db: Queryable): Promise<string[]>;
}

/** The states Ladder shows for a migration, whatever the tool calls them (the tool's word is in `label`). */
export type LedgerState = 'applied' | 'pending' | 'dirty' | 'missing' | 'changed' | 'outdated' | 'skipped';

export interface LedgerEntry {
  /** The listing key, or the row's key for an applied migration whose file is gone. */
  key: string;
  migration?: FormatMigration;
  row?: AppliedMigration;
  state: LedgerState;
  /** The tool's own word for the state: Flyway's "Success"/"Outdated", sqlx's "installed (different checksum)". */
  label: string;
  /** Stored and local checksums, when they differ. */
  checksum?: { stored: string; local: string };
  problems: string[];
}

export interface RepairAction {
  kind: 'remove-failed' | 'align-checksum' | 'mark-deleted';
  key: string;
  /** What it does, in one line ("delete the failed row of version 3"). */
  text: string;
}

/** The tool's refusal, in its own words where it has them. */
export interface LedgerRefusal {
  message: string;
  hint?: string;
}

/**
 * A tool's rules over the set of applied migrations (pure): which are pending, which a rollback
 * takes, what its repair does. The engine plans every format through these, with no format checks.
 */
export interface LedgerRules {
  /** Every file and every applied row with its state, in the order the tool lists them. */
  entries(listing: FormatListing, rows: AppliedMigration[]): LedgerEntry[];
  /** The version the tool calls current (the latest applied), or null. */
  current(listing: FormatListing, rows: AppliedMigration[]): string | null;
  /** The key of a failed (dirty) row the tool refuses to go on from, or null. */
  failed(rows: AppliedMigration[]): string | null;
  /** What the tool's migrate applies, in order, up to and including `target` when given. */
  pending(listing: FormatListing, rows: AppliedMigration[], target?: string): { apply: FormatMigration[]; refusal?: LedgerRefusal };
  /**
   * What repeated rollbacks take, most recent first, down to (not including) `target`. Stops at the first
   * migration the tool cannot roll back (`blocked`), so a plan never fails midway for want of a down.
   */
  revertible(listing: FormatListing, rows: AppliedMigration[], target?: string): { revert: FormatMigration[]; blocked?: { key: string; refusal: LedgerRefusal }; refusal?: LedgerRefusal };
  /** The tool's repair, as steps; a refusal when the tool has nothing of the kind. */
  repair(listing: FormatListing, rows: AppliedMigration[]): { actions: RepairAction[]; refusal?: LedgerRefusal };
  /** Why this migration cannot be rolled back, in the tool's terms (it has no down / U file, or is a simple migration). */
  noDown(m: FormatMigration): string;
  /** Version order (for goto and for listing rows without files). */
  compare(a: string, b: string): number;
  /** What "force V" means in this tool's terms, for plans and help. */
  forceMeaning: string;
  /** The ways out of a step that did not finish, in this tool's words (the recovery guide). */
  recovery: RecoveryWords;
  /** What baseline writes, when it is not one force per migration (Flyway's single BASELINE row). */
  baselineMeaning?: string;
}

/** How a tool says the ways out of a half-done step (Ladder's recovery guide speaks them). */
export interface RecoveryWords {
  /** The tool's name as a user knows it. */
  tool: string;
  /** Running the migration again, as the tool would ("dbmate migrate runs it again"). */
  rerun: string;
  /** Recording it as applied without running it, and what that writes. */
  markApplied: string;
  /** Recording a migration whose down failed as not applied, without running anything. */
  forget: string;
  /** What clearing the tool's failed row is called (Flyway: repair), where the tool keeps failed rows. */
  removeFailed: string;
  /** The tool's down runs and removes a row that may not be there (so it can undo a half-done up). */
  undoUnapplied: boolean;
}

export interface TrackerOptions {
  /** current_schema() of the connection (or the first search_path entry, where the tool uses that). */
  schema: string;
  /** Table name override (DBMATE_MIGRATIONS_TABLE, Flyway's table setting). */
  table?: string;
  /** current_database(). */
  databaseName: string;
  /** The first search_path entry of the URL (dbmate keeps its table there even before the schema exists). */
  searchPath?: string;
  /** The URL's path with its leading slash ("/mydb"), for tools that name their lock after it. */
  urlPath?: string;
  /** The URL's own table options (golang-migrate's x-migrations-table and x-migrations-table-quoted). */
  urlTable?: UrlTableOptions;
}

export type { TableRef, UrlTableOptions };

/** Tool settings users rely on (dbmate's --strict / DBMATE_STRICT). */
export interface FormatSettings {
  strict?: boolean;
}

/**
 * The rules of a tool that tracks one version and a dirty flag (golang-migrate's): every version at or
 * below the current one counts as applied; a step records its target dirty before the body and clean
 * after it; a down of V records the version before V. Pure data and functions; the planner and the step
 * loop read them.
 */
export interface VersionRules {
  /** The tool counts every version below the current one as applied (so the journal can spot one that never ran). */
  countsBelowCurrent: true;
  /** The version as the tool reads it ("007" is 7); null when it is not one. `nil`: the tool's "no version" (-1) is accepted. */
  canonicalVersion(text: string, nil: boolean): Version | null;
  /** Whether the tracking table can hold the version (golang-migrate reads uint64, PostgreSQL stores bigint). */
  fitsTable(version: Version): boolean;
  /** Version order (-1 below everything). */
  compare(a: Version, b: Version): number;
  /** What "force V" means in this tool's terms, for plans and help. */
  forceMeaning: string;
  /** What baseline writes. */
  baselineMeaning: string;
  /** Why an intent of the set-tracking tools (forget, repair) has no meaning here, and what to do instead. */
  unsupportedHint: string;
}

export interface NewMigrationOptions {
  now: Date;
  existing: string[];
  sequential?: boolean;
  /** golang-migrate create's -ext (default "sql"), -digits (default 6), -format (a Go time layout, default "20060102150405") and -tz (default "UTC"). */
  ext?: string;
  digits?: number;
  timeFormat?: string;
  tz?: string;
}

interface ModuleBase {
  name: FormatName;
  /** How detection recognises the tool's folder and table (light: detection loads every tool's, not every module). */
  detector: FormatDetector;
  /** The folder the tool reads when none is given. */
  defaultDir: string;
  /** How much a folder's file names look like this tool's (0: not at all); used by detection. */
  folderScore(fileNames: string[]): number;
  /** The tracking table this tool creates, for detection from the database. */
  tableName: string;
  /** The SQL type that holds every version of this tool (Ladder's journal stores them so). */
  versionType: 'bigint' | 'text';
  /**
   * The files the tool's own "new migration" command writes (names relative to the folder, exact bytes).
   * `existing`: every file under the folder, as relative paths with "/" (tools that read only the top level ignore the rest).
   */
  newMigration(name: string, o: NewMigrationOptions): { name: string; contents: string }[];
  /** Whether the tool itself takes the lock Ladder takes, and what the README says about it. */
  lockNote: string;
}

/** A tool that tracks the set of applied migrations, one row each (dbmate, sqlx, Flyway, plain). */
export interface SetFormatModule extends ModuleBase {
  model: 'rows';
  readSource(dir: string): Promise<FormatListing>;
  tracker(opts: TrackerOptions): FormatTracker;
  rules: LedgerRules;
  /** The rules under the user's settings, for tools that have such settings. */
  rulesFor?(settings: FormatSettings): LedgerRules;
}

/** A tool that tracks one version and a dirty flag (golang-migrate). */
export interface VersionFormatModule extends ModuleBase {
  model: 'version';
  readSource(dir: string): Promise<SourceListing>;
  tracker(opts: TrackerOptions): Tracker;
  rules: VersionRules;
}

export type FormatModule = SetFormatModule | VersionFormatModule;
export type TrackingModel = FormatModule['model'];
