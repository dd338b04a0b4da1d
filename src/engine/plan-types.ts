import type { DbState, Direction, MigrationFile, Version } from '../formats/types.js';

/** What a plan is made of, for every tool: the planner (plan.ts) makes them, the step loop (run.ts) runs them. */

export type Intent =
  | { kind: 'up'; limit?: number }
  | { kind: 'down'; limit?: number }
  | { kind: 'goto'; version: Version }
  | { kind: 'force'; version: Version }
  /** Record a migration as not applied without running anything (tools that track a set of rows). */
  | { kind: 'forget'; version: Version }
  /** The tool's repair: Flyway's own; for sqlx, its advice (remove failed rows) plus checksum realignment. */
  | { kind: 'repair' }
  /**
   * Run a migration the tool would skip, out of order (a Ladder extension): one below the current version
   * that the journal shows never ran. The tracking table stays at the current version.
   */
  | { kind: 'never-run'; version: Version }
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
