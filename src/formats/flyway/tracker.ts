import type { AppliedMigration, FormatFile, FormatMigration, FormatTracker, StepTiming, TrackerOptions } from '../driver.js';
import type { Queryable } from '../types.js';
import { LadderError } from '../../errors.js';
import { dropAllObjects } from '../../db/drop.js';
import { flywayChecksum } from './checksum.js';
import { flywayActiveRow } from './info.js';
import { flywayLockId, flywayQuote, flywayTableName } from './lock-id.js';
import { analyzeFlywayScript } from './script.js';
import {
  abbreviateDescription,
  abbreviateScript,
  createTableSql,
  CURRENT_USER_SQL,
  deleteFailedSql,
  FLYWAY_TABLE,
  insertSql,
  SCHEMA_HAS_OBJECTS_SQL,
  selectSql,
  TABLE_EXISTS_SQL,
  updateSql,
} from './sql.js';
import { canonicalFlywayVersion, tryParseFlywayVersion } from './version.js';

export interface FlywayTrackerOptions extends TrackerOptions {
  /** Flyway's installedBy setting; default: `SELECT current_user`, read once per tracker (once per run). */
  installedBy?: string;
  /**
   * Refuse to create the history table in a schema that already holds objects, as `flyway migrate`
   * does without baselineOnMigrate (default true).
   */
  refuseNonEmptySchema?: boolean;
}

export interface FlywayRowValues {
  installedRank: number;
  version: string | null;
  description: string;
  type: string;
  script: string;
  checksum: number | null;
  installedBy: string;
  executionTime: number;
  success: boolean;
}

export interface FlywayTracker extends FormatTracker {
  /** The history table exists (PostgreSQLTable.doExists). */
  exists(db: Queryable): Promise<boolean>;
  /** `flyway repair` step 1: delete the failed rows (by version, or by description for repeatables). */
  removeFailedRows(db: Queryable): Promise<number>;
  /** `flyway repair` step 3 for one migration: align description, type and checksum of its latest row. */
  alignRow(db: Queryable, m: FormatMigration): Promise<boolean>;
}

/** Flyway's default baselineDescription. */
export const BASELINE_DESCRIPTION = '<< Flyway Baseline >>';

/** Column text → values; every column is read as text so nothing is lost to JS types. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

/**
 * Flyway 13's schema history on PostgreSQL (docs/formats-spec.md §3.5-3.8, 3.10). Rows carry what
 * Flyway writes: installed_rank = last rank + 1 (1 for an empty table), version display text (NULL for
 * repeatables), description (≤200), type SQL, script = path relative to the location (≤1000), signed
 * CRC-32, installed_by, execution_time in ms, success.
 */
export function flywayTracker(opts: FlywayTrackerOptions): FlywayTracker {
  const name = opts.table ?? FLYWAY_TABLE;
  const table = flywayTableName(opts.schema, name);
  let installedBy: string | undefined = opts.installedBy;

  async function currentUser(db: Queryable): Promise<string> {
    installedBy ??= String((await db.query(CURRENT_USER_SQL)).rows[0]?.current_user);
    return installedBy;
  }

  async function exists(db: Queryable): Promise<boolean> {
    const res = await db.query(TABLE_EXISTS_SQL, [opts.schema, name]);
    return Boolean(res.rows[0]?.exists);
  }

  async function readApplied(db: Queryable): Promise<AppliedMigration[]> {
    if (!(await exists(db))) return [];
    const res = await db.query({ text: selectSql(table), values: [-1], types: TEXT_TYPES });
    return res.rows.map((r) => {
      const version: string | null = r.version ?? null;
      const description = String(r.description);
      const type = String(r.type);
      return {
        key: version !== null ? canonicalKey(version) : type === 'SCHEMA' ? 'SCHEMA' : `R__${description}`,
        version,
        description,
        ...(r.checksum !== null ? { checksum: String(r.checksum) } : {}),
        success: r.success === 't',
        installedRank: Number(r.installed_rank),
        installedOn: String(r.installed_on),
        installedBy: String(r.installed_by),
        executionTimeMs: Number(r.execution_time),
        type,
        script: String(r.script),
      };
    });
  }

  /** SchemaHistory.calculateInstalledRank: the last row's rank + 1, or 1 for an empty table. */
  async function nextRank(db: Queryable): Promise<number> {
    const res = await db.query({ text: `SELECT max("installed_rank") AS r FROM ${table}`, types: TEXT_TYPES });
    const last = res.rows[0]?.r;
    return last === null || last === undefined ? 1 : Number(last) + 1;
  }

  async function insert(db: Queryable, v: Omit<FlywayRowValues, 'installedRank' | 'installedBy'>): Promise<void> {
    const by = await currentUser(db);
    await db.query(insertSql(table), [
      await nextRank(db),
      v.version,
      abbreviateDescription(v.description),
      v.type,
      abbreviateScript(v.script),
      v.checksum,
      by,
      v.executionTime,
      v.success,
    ]);
  }

  /** The values Flyway inserts for a resolved migration (versioned or repeatable). */
  function rowFor(m: FormatMigration, executionTime: number): Omit<FlywayRowValues, 'installedRank' | 'installedBy'> {
    const up = requireUp(m);
    return {
      version: m.version,
      description: m.description,
      type: 'SQL',
      script: scriptOf(m),
      checksum: m.checksum !== undefined ? Number(m.checksum) : flywayChecksum(up.sql),
      executionTime,
      success: true,
    };
  }

  /** repair's delete(): a DELETE-type row copying the marked row, execution_time 0. */
  function deleteRowFor(row: AppliedMigration): Omit<FlywayRowValues, 'installedRank' | 'installedBy'> {
    return {
      version: row.version,
      description: row.description ?? '',
      type: 'DELETE',
      script: row.script ?? '',
      checksum: row.checksum !== undefined ? Number(row.checksum) : null,
      executionTime: 0,
      success: row.success,
    };
  }

  /**
   * Runs a script as Flyway does and writes the history row: in one transaction with the row when the
   * script is transactional (Flyway's default uses two connections, body then row, with identical table
   * contents on success), else statement by statement in autocommit and the row afterwards.
   */
  async function run(db: Queryable, file: FormatFile, writeRow: (ms: number) => Promise<void>): Promise<StepTiming> {
    const script = await analyzeFlywayScript(file.sql, file.file);
    if (script.unsupported) throw new LadderError(script.unsupported, 'Run this migration with Flyway itself, or rewrite it without the unsupported feature.');
    await currentUser(db); // Flyway reads it before the first migration, outside the migration's transaction
    if (script.transaction) {
      await db.query('BEGIN');
      try {
        const start = process.hrtime.bigint();
        await db.query(script.sql);
        const ns = process.hrtime.bigint() - start;
        await writeRow(millis(ns));
        await db.query('COMMIT');
        return { durationNs: ns };
      } catch (err) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
    const start = process.hrtime.bigint();
    for (const statement of script.statements) await db.query(statement);
    const ns = process.hrtime.bigint() - start;
    // A failed non-transactional script leaves no row: with Flyway's default transactional lock the
    // failed-row INSERT is rolled back with the lock transaction (spec §3.7, ambiguous).
    await writeRow(millis(ns));
    return { durationNs: ns };
  }

  return {
    table,
    lockId: flywayLockId(table),
    toolLocks: true,
    exists,

    async ensureTable(db) {
      if (await exists(db)) return;
      if (opts.refuseNonEmptySchema !== false) {
        const res = await db.query(SCHEMA_HAS_OBJECTS_SQL, [opts.schema, opts.schema, opts.schema]);
        if (res.rows[0]?.exists)
          throw new LadderError(
            `Found non-empty schema(s) ${flywayQuote(opts.schema)} but no schema history table. Use baseline() or set baselineOnMigrate to true to initialize the schema history table.`,
            'Flyway refuses to start in a schema that already holds objects; run "flyway baseline" first (or point Ladder at an empty schema).',
          );
      }
      await db.query(createTableSql(table, name));
    },

    readApplied,

    async applyUp(db, m) {
      const up = requireUp(m);
      return run(db, up, (ms) => insert(db, rowFor(m, ms)));
    },

    async applyDown(db, m) {
      if (m.version === null) throw new LadderError(`Flyway cannot undo the repeatable migration ${scriptOf(m)}.`, 'Only versioned migrations with a U file can be undone.');
      if (!m.down)
        throw new LadderError(
          `Flyway has no undo for version ${m.version} (no U file)`,
          `Add U${m.version}__${m.description.replaceAll(' ', '_')}.sql next to ${scriptOf(m)} to make it undoable.`,
        );
      const row = flywayActiveRow(m, await readApplied(db));
      if (!row) throw new LadderError(`Version ${m.version} is not applied, so there is nothing to undo.`);
      return run(db, m.down, () => insert(db, deleteRowFor(row)));
    },

    // `flyway migrate -skipExecutingMigrations=true`: the same row, nothing run, execution_time 0.
    async recordApplied(db, m) {
      await insert(db, rowFor(m, 0));
    },

    // `flyway repair`'s marking of a removed migration: a DELETE row copying the applied row.
    async recordReverted(db, m) {
      const row = flywayActiveRow(m, await readApplied(db));
      if (!row) throw new LadderError(`${m.version === null ? scriptOf(m) : `Version ${m.version}`} is not applied, so there is nothing to mark reverted.`);
      await insert(db, deleteRowFor(row));
    },

    // `flyway baseline -baselineVersion=V` (BaselineCommand / addBaselineMarker): one BASELINE row whose
    // description and script are the baseline description, no checksum, execution_time 0. Unlike migrate it
    // creates the history table in a schema that already holds objects: that is what baseline is for.
    async recordBaseline(db, migrations) {
      const last = migrations[migrations.length - 1];
      if (!last || last.version === null) throw new LadderError('Flyway baselines a version; there is none to baseline.');
      if (!(await exists(db))) await db.query(createTableSql(table, name));
      const rows = await readApplied(db);
      const marker = rows.find((r) => r.type === 'BASELINE');
      if (marker) {
        if (marker.version === last.version && marker.description === BASELINE_DESCRIPTION) return;
        throw new LadderError(`Unable to baseline schema history table ${table} with (${last.version},${BASELINE_DESCRIPTION}) as it has already been initialized with (${marker.version},${marker.description})`);
      }
      if (rows.some((r) => r.type !== 'SCHEMA'))
        throw new LadderError(`Unable to baseline schema history table ${table} as it already contains migrations`, 'Flyway baselines only a database it has not migrated yet; "force V" records single migrations.');
      await insert(db, { version: last.version, description: BASELINE_DESCRIPTION, type: 'BASELINE', script: BASELINE_DESCRIPTION, checksum: null, executionTime: 0, success: true });
    },

    // `flyway clean`: every object in the schema, the history table included (it is one of its tables).
    clean: (db) => dropAllObjects(db, opts.schema),

    async removeFailedRows(db) {
      let removed = 0;
      for (const row of (await readApplied(db)).filter((r) => !r.success)) {
        const res = await db.query(deleteFailedSql(table, row.version !== null), [row.version ?? row.description]);
        removed += res.rowCount ?? 0;
      }
      return removed;
    },

    async repair(db, action, m) {
      const rows = (await readApplied(db)).filter((r) => r.key === action.key);
      if (action.kind === 'remove-failed') {
        for (const row of rows.filter((r) => !r.success)) await db.query(deleteFailedSql(table, row.version !== null), [row.version ?? row.description]);
      } else if (action.kind === 'mark-deleted') {
        const row = [...rows].reverse().find((r) => r.type !== 'DELETE');
        if (!row) throw new LadderError(`flyway_schema_history has no row for ${action.key} to mark deleted.`);
        await insert(db, deleteRowFor(row));
      } else {
        if (!m) throw new LadderError(`Version ${action.key} has no file to take the checksum from.`);
        await this.alignRow(db, m);
      }
    },

    async alignRow(db, m) {
      const row = flywayActiveRow(m, await readApplied(db));
      if (!row || row.installedRank === undefined) return false;
      const wanted = rowFor(m, 0);
      if (row.checksum === String(wanted.checksum) && row.description === abbreviateDescription(wanted.description) && row.type === 'SQL') return false;
      await db.query(updateSql(table), [abbreviateDescription(wanted.description), 'SQL', wanted.checksum, row.installedRank]);
      return true;
    },
  };
}

function requireUp(m: FormatMigration): FormatFile {
  if (!m.up) throw new LadderError(`Flyway migration ${m.key} has no script to run.`);
  return m.up;
}

function scriptOf(m: FormatMigration): string {
  return (m as { script?: string }).script ?? m.up?.file ?? '';
}

/** StopWatch.getTotalTimeMillis: TimeUnit.NANOSECONDS.toMillis, truncating. */
function millis(ns: bigint): number {
  return Number(ns / 1_000_000n);
}

function canonicalKey(version: string): string {
  const v = tryParseFlywayVersion(version);
  return v ? canonicalFlywayVersion(v) : version;
}
