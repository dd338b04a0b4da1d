import { createHash } from 'node:crypto';
import type { Queryable, Version } from '../formats/types.js';
import { quoteIdent, quoteLiteral } from '../db/quote.js';
import { LADDER_VERSION } from '../version.js';
import { snapshotSql } from '../db/catalog.js';

export type JournalOutcome = 'running' | 'ok' | 'failed' | 'cancelled' | 'interrupted';

export interface JournalEntry {
  id: number;
  version: Version;
  name: string;
  direction: 'up' | 'down' | 'force';
  /** Version the step records in the tracking table (golang-migrate: the previous version for a down). */
  targetVersion: Version;
  startedAt: string;
  finishedAt: string | null;
  outcome: JournalOutcome;
  error: string | null;
  errorLine: number | null;
  errorColumn: number | null;
  sqlstate: string | null;
  /** PostgreSQL's DETAIL and HINT of the error (null: none, or a row written before Ladder kept them). */
  errorDetail?: string | null;
  errorHint?: string | null;
  file: string | null;
  fileSha256: string | null;
  dbUser: string;
  applicationName: string;
  ladderVersion: string;
  durationMs: number | null;
  /** For a 'running' row, whether a live session can still be running it (set by listJournal; absent: not checked). */
  liveSession?: boolean;
  /** Version recorded before the step started (null: a row written before Ladder recorded it). */
  fromVersion?: Version | null;
  /**
   * How the step's 'ok' was committed: 'with-body' in the same transaction as the file's last
   * statement (so a 'running' row on a dirty database proves that transaction did not commit),
   * 'after-body' in a transaction of its own after the file (the file's own COMMIT, or a file that must
   * run alone), null for rows written before Ladder recorded it.
   */
  doneWrite?: 'with-body' | 'with-last-tx' | 'after-body' | null;
}

/** schema_diff: the touched objects' catalog before and (once the step committed) after the step. */
export interface StepSchemaPictures {
  before?: unknown;
  after?: unknown;
}

export interface StepRecord {
  version: Version;
  name: string;
  direction: JournalEntry['direction'];
  targetVersion: Version;
  file?: string;
  body?: string | null;
  fromVersion?: Version;
  doneWrite?: 'with-body' | 'with-last-tx' | 'after-body';
  /**
   * Take the schema picture of what the step touches before it runs: the names its statements mention,
   * null for every schema; absent for none. Only after ensureTable(db, exclude) made the snapshot function.
   */
  snapshotNames?: readonly string[] | null;
}

export interface StepFailure {
  outcome: 'failed' | 'cancelled' | 'interrupted';
  error: string;
  line?: number;
  column?: number;
  sqlstate?: string;
  detail?: string;
  hint?: string;
}

export const JOURNAL_TABLE = 'ladder_journal';

/** The columns a step's row is inserted with, and those of them that differ from step to step. */
const START_COLUMNS = ['version', 'name', 'direction', 'target_version', 'outcome', 'finished_at', 'file', 'file_sha256', 'ladder_version', 'from_version', 'done_write', 'schema_diff'] as const;
const STEP_COLUMNS = ['version', 'name', 'direction', 'target_version', 'file', 'file_sha256', 'from_version', 'done_write'] as const;
type StartColumn = (typeof START_COLUMNS)[number];
type StepColumn = (typeof STEP_COLUMNS)[number];

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Ladder's own record of every step it ran, next to the tracking table (whose format it never changes).
 * golang-migrate's table holds one row; the journal is what lets Ladder say what happened.
 * Writes are SQL fragments so they join the tracking-table transactions (same round trip, same atomicity).
 */
export class Journal {
  readonly table: string;

  /**
   * versions: 'bigint' for golang-migrate (its uint64 versions, the table as it always was); 'text' for
   * the tools whose versions are text (dbmate's "001", Flyway's "1.2", a repeatable's "R__name").
   */
  constructor(
    readonly schema: string,
    readonly versions: 'bigint' | 'text' = 'bigint',
  ) {
    this.table = `${quoteIdent(schema)}.${quoteIdent(JOURNAL_TABLE)}`;
  }

  /** A version as an SQL literal of the table's version type. */
  private v(version: Version): string {
    return this.versions === 'text' ? quoteLiteral(version) : version;
  }

  /** Whether this session has pg_temp.ladder_step_snapshot (see ensureTable). */
  snapshotting = false;

  /**
   * snapshotExclude: also make the session's schema-picture function, leaving out these tables. It is a
   * PL/pgSQL function in pg_temp (gone with the session, never in the user's schemas) because PL/pgSQL
   * keeps the query's plan: planning the snapshot query cost more than running it, twice a step.
   */
  async ensureTable(db: Queryable, snapshotExclude?: string[]): Promise<void> {
    const type = this.versions;
    await db.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
      id bigserial PRIMARY KEY,
      version ${type} NOT NULL,
      name text NOT NULL,
      direction text NOT NULL CHECK (direction IN ('up', 'down', 'force')),
      target_version ${type} NOT NULL,
      started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      finished_at timestamptz,
      outcome text NOT NULL CHECK (outcome IN ('running', 'ok', 'failed', 'cancelled', 'interrupted')),
      error text,
      error_line integer,
      error_column integer,
      sqlstate text,
      file text,
      file_sha256 text,
      db_user text NOT NULL DEFAULT current_user,
      application_name text NOT NULL DEFAULT current_setting('application_name'),
      ladder_version text NOT NULL,
      from_version ${type},
      done_write text
    );
    ALTER TABLE ${this.table} ADD COLUMN IF NOT EXISTS from_version ${type}, ADD COLUMN IF NOT EXISTS done_write text,
      ADD COLUMN IF NOT EXISTS schema_diff jsonb, ADD COLUMN IF NOT EXISTS error_detail text, ADD COLUMN IF NOT EXISTS error_hint text`);
    if (type === 'text') await widenVersions(db, this.schema, this.table);
    if (snapshotExclude) {
      const body = snapshotSql(undefined, { excludeTables: snapshotExclude, namesSql: 'names' });
      // Without the TEMP privilege there is no picture; the steps run as before.
      this.snapshotting = await db
        .query(
          // Made once per session: re-making it would throw away the plan PL/pgSQL keeps.
          `DO $make$ BEGIN IF to_regprocedure('pg_temp.ladder_step_snapshot(text[])') IS NULL THEN ` +
            `CREATE FUNCTION pg_temp.ladder_step_snapshot(names text[]) RETURNS jsonb LANGUAGE plpgsql STABLE SET plan_cache_mode = force_generic_plan AS $ladder$ BEGIN RETURN (${body})::jsonb; END $ladder$; ` +
            `END IF; END $make$`,
        )
        .then(() => true, () => false);
    }
  }

  /** Whether pg_temp.ladder_step_snapshot is still there (a migration's DISCARD TEMP drops it). */
  async hasSnapshotFunction(db: Queryable): Promise<boolean> {
    const r = await db.query<{ ok: boolean }>(`SELECT to_regprocedure('pg_temp.ladder_step_snapshot(text[])') IS NOT NULL AS ok`);
    return r.rows[0]?.ok === true;
  }

  /** INSERT of a step that starts now (finishSql finds it again through the sequence's currval). */
  startSql(step: StepRecord, outcome: JournalOutcome = 'running'): string {
    const before = step.snapshotNames !== undefined && this.snapshotting ? `jsonb_build_object('before', ${snapshotCall(step.snapshotNames)})` : 'NULL';
    const values = { ...this.stepValues(step), outcome: quoteLiteral(outcome), finished_at: outcome === 'running' ? 'NULL' : 'clock_timestamp()', schema_diff: before };
    return `INSERT INTO ${this.table} (${START_COLUMNS.join(', ')}) VALUES (${START_COLUMNS.map((c) => values[c]).join(', ')});`;
  }

  /**
   * startSql of a 'running' step as one statement (no semicolon) whose step-specific values are the
   * parameters $first.., in the order of {@link startArgs}, for PREPARE. pictures: the names of the
   * schema picture are the last parameter (see StepRecord.snapshotNames).
   */
  startStatement(first: number, pictures: boolean): { sql: string; types: string[] } {
    const params = Object.fromEntries(STEP_COLUMNS.map((c, i) => [c, `$${first + i}`]));
    const before = pictures ? `jsonb_build_object('before', pg_temp.ladder_step_snapshot($${first + STEP_COLUMNS.length}))` : 'NULL';
    const values = { ...params, outcome: "'running'", finished_at: 'NULL', ladder_version: quoteLiteral(LADDER_VERSION), schema_diff: before } as Record<StartColumn, string>;
    const v = this.versions;
    const types: Record<StepColumn, string> = { version: v, name: 'text', direction: 'text', target_version: v, file: 'text', file_sha256: 'text', from_version: v, done_write: 'text' };
    return {
      sql: `INSERT INTO ${this.table} (${START_COLUMNS.join(', ')}) VALUES (${START_COLUMNS.map((c) => values[c]).join(', ')})`,
      types: [...STEP_COLUMNS.map((c) => types[c]), ...(pictures ? ['text[]'] : [])],
    };
  }

  /** A step's values for {@link startStatement}, as SQL literals. */
  startArgs(step: StepRecord, pictures: boolean): string[] {
    const values = this.stepValues(step);
    return [...STEP_COLUMNS.map((c) => values[c]), ...(pictures ? [namesLiteral(step.snapshotNames ?? null)] : [])];
  }

  private stepValues(step: StepRecord): Record<StepColumn | 'ladder_version', string> {
    return {
      version: this.v(step.version),
      name: quoteLiteral(step.name),
      direction: quoteLiteral(step.direction),
      target_version: this.v(step.targetVersion),
      file: step.file ? quoteLiteral(step.file) : 'NULL',
      file_sha256: step.body === undefined || step.body === null ? 'NULL' : quoteLiteral(sha256(step.body)),
      ladder_version: quoteLiteral(LADDER_VERSION),
      from_version: step.fromVersion === undefined ? 'NULL' : this.v(step.fromVersion),
      done_write: step.doneWrite ? quoteLiteral(step.doneWrite) : 'NULL',
    };
  }

  /**
   * Marks the row this session inserted last as done; it joins whatever transaction it is sent in.
   * snapshotNames: the same picture as at the start (StepRecord.snapshotNames), now taken after the body.
   */
  finishSql(snapshotNames?: readonly string[] | null): string {
    const after =
      snapshotNames !== undefined && this.snapshotting ? `, schema_diff = schema_diff || jsonb_build_object('after', ${snapshotCall(snapshotNames)})` : '';
    return `UPDATE ${this.table} SET outcome = 'ok', finished_at = clock_timestamp()${after} WHERE id = ${this.lastInsertedId()};`;
  }

  /** finishSql as one statement (no semicolon), for PREPARE; `names`: the picture's parameter, if it takes one. */
  finishStatement(names?: string): string {
    const after = names ? `, schema_diff = schema_diff || jsonb_build_object('after', pg_temp.ladder_step_snapshot(${names}))` : '';
    return `UPDATE ${this.table} SET outcome = 'ok', finished_at = clock_timestamp()${after} WHERE id = ${this.lastInsertedId()}`;
  }

  /** Removes the row this session inserted last while it is still 'running' (the step turned out not to run at all). */
  discardSql(): string {
    return `DELETE FROM ${this.table} WHERE id = ${this.lastInsertedId()} AND outcome = 'running';`;
  }

  /**
   * The id this session inserted last, as a scalar subquery: PostgreSQL evaluates it once and looks the
   * row up by the primary key. A bare currval() (volatile) is evaluated for every row of a sequential
   * scan instead, catalog lookup and all: ~2.7 ms a step at 1,000 rows, growing with the journal.
   */
  private lastInsertedId(): string {
    return `(SELECT currval(pg_get_serial_sequence(${quoteLiteral(this.table)}, 'id')))`;
  }

  /** The newest up or down of a version, with its schema pictures. Missing table: null. */
  async lastRun(db: Queryable, version: Version): Promise<{ entry: JournalEntry; pictures: StepSchemaPictures | null } | null> {
    try {
      const res = await db.query(
        `SELECT id, version::text, name, direction, target_version::text, started_at::text, finished_at::text, outcome, error,
                error_line, error_column, sqlstate, file, file_sha256, db_user, application_name, ladder_version,
                round(extract(epoch FROM finished_at - started_at) * 1000)::int AS duration_ms, schema_diff
           FROM ${this.table} WHERE version = $1 AND direction IN ('up', 'down') ORDER BY id DESC LIMIT 1`,
        [version],
      );
      const row = res.rows[0];
      return row ? { entry: toEntry(row), pictures: (row.schema_diff as StepSchemaPictures | null) ?? null } : null;
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') return null;
      if ((err as { code?: string }).code === '42703') return null; // a journal from before schema_diff, never written since
      throw err;
    }
  }
  /** Settles the step still running (the newest 'running' row; the caller holds the lock). A row already 'ok' is left alone. */
  async failRunning(db: Queryable, f: StepFailure): Promise<void> {
    await db.query(
      `UPDATE ${this.table} SET outcome = $1, finished_at = clock_timestamp(), error = $2, error_line = $3, error_column = $4, sqlstate = $5,
              error_detail = $6, error_hint = $7
        WHERE id = (SELECT max(id) FROM ${this.table}) AND outcome = 'running'`,
      [f.outcome, f.error, f.line ?? null, f.column ?? null, f.sqlstate ?? null, f.detail ?? null, f.hint ?? null],
    );
  }

  /** Newest first. Missing table: empty history. */
  async list(db: Queryable, limit = 200): Promise<JournalEntry[]> {
    try {
      const res = await db.query(
        `SELECT id, version::text, name, direction, target_version::text, started_at::text, finished_at::text, outcome, error,
                error_line, error_column, sqlstate, file, file_sha256, db_user, application_name, ladder_version,
                round(extract(epoch FROM finished_at - started_at) * 1000)::int AS duration_ms, from_version::text, done_write,
                -- read through the row's JSON: a journal an older Ladder made has no such columns (null then)
                to_jsonb(j) ->> 'error_detail' AS error_detail, to_jsonb(j) ->> 'error_hint' AS error_hint
           FROM ${this.table} j ORDER BY id DESC LIMIT ${Math.trunc(limit)}`,
      );
      return res.rows.map(toEntry);
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') return [];
      throw err;
    }
  }

  /** Every step, oldest first, with only what never-run detection needs. Missing table: none. */
  async steps(db: Queryable): Promise<{ version: Version; direction: JournalEntry['direction']; outcome: string; fromVersion: Version | null; targetVersion: Version }[]> {
    try {
      const res = await db.query(`SELECT version::text, direction, outcome, from_version::text, target_version::text FROM ${this.table} ORDER BY id`);
      return res.rows.map((r) => ({ version: r.version, direction: r.direction, outcome: r.outcome, fromVersion: r.from_version ?? null, targetVersion: r.target_version }));
    } catch (err) {
      if ((err as { code?: string }).code === '42P01' || (err as { code?: string }).code === '42703') return [];
      throw err;
    }
  }

  /**
   * Rows still 'running' whose Ladder is gone (connection died, process killed): marked 'interrupted'.
   * Only safe to call while holding the migration lock, when no other Ladder can be mid-step.
   */
  async settleInterrupted(db: Queryable): Promise<number> {
    try {
      const res = await db.query(
        `UPDATE ${this.table} SET outcome = 'interrupted', finished_at = coalesce(finished_at, clock_timestamp()),
                error = coalesce(error, 'Ladder stopped before the step finished (connection lost or process killed).')
          WHERE outcome = 'running'`,
      );
      return res.rowCount ?? 0;
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') return 0;
      throw err;
    }
  }
}

/**
 * A journal a golang-migrate project made in the same schema has bigint versions: they become text (every
 * bigint reads back as the same digits), so both kinds of project can share the one table.
 */
async function widenVersions(db: Queryable, schema: string, table: string): Promise<void> {
  const res = await db.query(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND column_name IN ('version', 'target_version', 'from_version') AND data_type = 'bigint'`,
    [schema, JOURNAL_TABLE],
  );
  if (res.rows.length === 0) return;
  await db.query(`ALTER TABLE ${table} ${res.rows.map((r) => `ALTER COLUMN ${quoteIdent(String(r.column_name))} TYPE text`).join(', ')}`);
}

function snapshotCall(names: readonly string[] | null): string {
  return `pg_temp.ladder_step_snapshot(${namesLiteral(names)})`;
}

/** The names a schema picture takes (null: every schema), as a text[] literal. */
export function namesLiteral(names: readonly string[] | null): string {
  return names === null ? 'NULL::text[]' : `ARRAY[${names.map(quoteLiteral).join(', ')}]::text[]`;
}

function toEntry(r: Record<string, unknown>): JournalEntry {
  return {
    id: Number(r.id),
    version: String(r.version),
    name: String(r.name),
    direction: r.direction as JournalEntry['direction'],
    targetVersion: String(r.target_version),
    startedAt: String(r.started_at),
    finishedAt: (r.finished_at as string | null) ?? null,
    outcome: r.outcome as JournalOutcome,
    error: (r.error as string | null) ?? null,
    errorLine: (r.error_line as number | null) ?? null,
    errorColumn: (r.error_column as number | null) ?? null,
    sqlstate: (r.sqlstate as string | null) ?? null,
    errorDetail: (r.error_detail as string | null) ?? null,
    errorHint: (r.error_hint as string | null) ?? null,
    file: (r.file as string | null) ?? null,
    fileSha256: (r.file_sha256 as string | null) ?? null,
    dbUser: String(r.db_user),
    applicationName: String(r.application_name),
    ladderVersion: String(r.ladder_version),
    durationMs: (r.duration_ms as number | null) ?? null,
    fromVersion: r.from_version === null || r.from_version === undefined ? null : String(r.from_version),
    doneWrite: (r.done_write as JournalEntry['doneWrite']) ?? null,
  };
}
