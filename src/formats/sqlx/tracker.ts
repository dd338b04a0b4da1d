import type { AppliedMigration, FormatMigration, FormatTracker, StepTiming, TrackerOptions } from '../driver.js';
import type { Queryable } from '../types.js';
import { quoteIdent } from '../../db/quote.js';
import { LadderError } from '../../errors.js';
import { sqlxChecksum } from './checksum.js';
import { sqlxLockId } from './lock-id.js';
import { parseI64 } from './parse-name.js';
import {
  CREATE_TABLE_SQL,
  DELETE_SQL,
  INSERT_SQL,
  READ_ROWS_SQL,
  SQLX_TABLE,
  UPDATE_EXECUTION_TIME_SQL,
} from './sql.js';

/** One `_sqlx_migrations` row with sqlx's own units. */
export interface SqlxRow {
  version: bigint;
  description: string;
  /** installed_on as PostgreSQL prints a timestamptz in the session's time zone. */
  installedOn: string;
  success: boolean;
  /** Lowercase hex of the stored SHA-384. */
  checksum: string;
  /** Nanoseconds; -1 when sqlx's post-commit UPDATE never ran. */
  executionTimeNs: bigint;
}

export interface SqlxTracker extends FormatTracker {
  /** The rows with sqlx's exact units (execution_time in ns, -1 kept). */
  readRows(db: Queryable): Promise<SqlxRow[]>;
  /** Ladder extension (sqlx has none): store the file's checksum for an applied version. */
  repairChecksum(db: Queryable, m: FormatMigration): Promise<void>;
  /** Ladder extension following sqlx's advice for a dirty version: "fix and remove row". */
  removeDirtyRow(db: Queryable, version: string): Promise<boolean>;
}

const UNDEFINED_TABLE = '42P01';

/**
 * sqlx-postgres 0.8.6's bookkeeping (docs/formats-spec.md §2.3-2.4, 2.7). The SQL texts are sqlx's own
 * and name the table unqualified, so it resolves through search_path as in sqlx; `table` is the
 * qualified name for display.
 */
export function sqlxTracker(opts: TrackerOptions): SqlxTracker {
  if (opts.table !== undefined && opts.table !== SQLX_TABLE)
    throw new LadderError(
      `sqlx 0.8 always keeps its history in ${SQLX_TABLE}; a different table (${opts.table}) cannot be used.`,
      'Drop the table setting for sqlx projects (a configurable table name only arrives with sqlx 0.9).',
    );

  async function readRows(db: Queryable): Promise<SqlxRow[]> {
    let res;
    try {
      res = await db.query(READ_ROWS_SQL);
    } catch (err) {
      if ((err as { code?: string }).code === UNDEFINED_TABLE) return [];
      throw err;
    }
    return res.rows.map((r) => ({
      version: BigInt(r.version),
      description: String(r.description),
      installedOn: String(r.installed_on),
      success: Boolean(r.success),
      checksum: String(r.checksum),
      executionTimeNs: BigInt(r.execution_time),
    }));
  }

  return {
    table: `${quoteIdent(opts.schema)}.${quoteIdent(SQLX_TABLE)}`,
    lockId: sqlxLockId(opts.databaseName),
    // sqlx-cli never locks. The library's Migrator (sqlx::migrate!().run(), run at app start-up) takes
    // pg_advisory_lock on this same key, so Ladder's lock excludes embedded migrators, not the CLI.
    toolLocks: false,

    async ensureTable(db) {
      await db.query(CREATE_TABLE_SQL);
    },

    async readApplied(db): Promise<AppliedMigration[]> {
      return (await readRows(db)).map((r) => ({
        key: String(r.version),
        version: String(r.version),
        description: r.description,
        checksum: r.checksum,
        success: r.success,
        installedOn: r.installedOn,
        // The interface speaks milliseconds; sqlx stores ns (readRows keeps them). -1: never measured.
        executionTimeMs: r.executionTimeNs < 0n ? undefined : Number(r.executionTimeNs) / 1e6,
      }));
    },

    readRows,

    async applyUp(db, m): Promise<StepTiming> {
      const up = m.up;
      if (!up) throw new LadderError(`sqlx migration ${m.key} has no up file to run.`);
      const version = i64(m);
      const checksum = Buffer.from(sqlxChecksum(up.sql), 'hex');
      const start = process.hrtime.bigint();
      if (up.transaction) {
        await inTransaction(db, async () => {
          await db.query(up.sql);
          await db.query(INSERT_SQL, [version, m.description, checksum]);
        });
      } else {
        // `-- no-transaction`: body (one simple query, so still one implicit transaction), then INSERT.
        await db.query(up.sql);
        await db.query(INSERT_SQL, [version, m.description, checksum]);
      }
      const elapsed = process.hrtime.bigint() - start;
      // After the commit, as its own statement: a crash here leaves execution_time = -1, as in sqlx.
      await db.query(UPDATE_EXECUTION_TIME_SQL, [String(elapsed), version]);
      return { durationNs: elapsed };
    },

    async applyDown(db, m): Promise<StepTiming> {
      const down = m.down;
      if (!down)
        throw new LadderError(
          `sqlx cannot revert version ${m.key}: it has no .down.sql file.`,
          `sqlx only reverts reversible migrations (${m.key}_<description>.up.sql + .down.sql); a simple ${m.key}_<description>.sql stays applied.`,
        );
      const version = i64(m);
      const start = process.hrtime.bigint();
      if (down.transaction) {
        await inTransaction(db, async () => {
          await db.query(down.sql);
          await db.query(DELETE_SQL, [version]);
        });
      } else {
        await db.query(down.sql);
        await db.query(DELETE_SQL, [version]);
      }
      return { durationNs: process.hrtime.bigint() - start };
    },

    // Ladder extension (sqlx has no force): the row sqlx's own INSERT writes, execution_time left at
    // sqlx's "not measured" -1 because nothing ran.
    async recordApplied(db, m) {
      if (!m.up) throw new LadderError(`sqlx migration ${m.key} has no up file to record.`);
      await db.query(INSERT_SQL, [i64(m), m.description, Buffer.from(sqlxChecksum(m.up.sql), 'hex')]);
    },

    // What `sqlx migrate revert` deletes, without running the down file.
    async recordReverted(db, m) {
      await db.query(DELETE_SQL, [i64(m)]);
    },

    async repairChecksum(db, m) {
      if (!m.up) throw new LadderError(`sqlx migration ${m.key} has no up file to take the checksum from.`);
      await db.query('UPDATE _sqlx_migrations SET checksum = $1 WHERE version = $2', [Buffer.from(sqlxChecksum(m.up.sql), 'hex'), i64(m)]);
    },

    async repair(db, action, m) {
      if (action.kind === 'remove-failed') await this.removeDirtyRow(db, action.key);
      else if (action.kind === 'align-checksum' && m) await this.repairChecksum(db, m);
      else throw new LadderError(`sqlx has no "${action.kind}" repair (version ${action.key}).`);
    },

    async removeDirtyRow(db, version) {
      const res = await db.query('DELETE FROM _sqlx_migrations WHERE version = $1 AND success = false', [version]);
      return (res.rowCount ?? 0) > 0;
    },
  };
}

function i64(m: FormatMigration): string {
  const v = parseI64(m.version ?? m.key);
  if (v === null) throw new LadderError(`"${m.version ?? m.key}" is not a sqlx version (a 64-bit integer).`);
  return String(v);
}

/** sqlx's `conn.begin()` … `tx.commit()`; dropping the transaction on error rolls it back. */
async function inTransaction(db: Queryable, body: () => Promise<void>): Promise<void> {
  await db.query('BEGIN');
  try {
    await body();
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
