import { crc32 } from 'node:zlib';
import type { AppliedMigration, FormatMigration, FormatTracker, StepTiming, TrackerOptions } from '../driver.js';
import { LadderError } from '../../errors.js';
import { createTableSql, PLAIN_TABLE, qualified } from './sql.js';

const UNDEFINED_TABLE = '42P01';

/**
 * The plain-SQL tracking table (see sql.ts). An up step first records the version with success = false,
 * then sends the file and the row's `success = true` as ONE simple query: the mark commits with the
 * file's last statement, and a failure (or a crash) leaves success = false, which Ladder shows as dirty.
 * A down sends the rollback script and the row's DELETE as one simple query.
 */
export function plainTracker(opts: TrackerOptions): FormatTracker {
  if (opts.table !== undefined && opts.table !== PLAIN_TABLE)
    throw new LadderError(`Plain-SQL projects are tracked in ${PLAIN_TABLE}; a different table (${opts.table}) cannot be used.`);
  const table = qualified(opts.schema);
  const version = (m: FormatMigration): number => {
    const n = Number(m.version ?? m.key);
    if (!Number.isInteger(n)) throw new LadderError(`"${m.key}" is not a plain-SQL version (a whole number).`);
    return n;
  };
  const mark = (m: FormatMigration, success: boolean) =>
    `INSERT INTO ${table} (version, description, applied_by, success) VALUES (${version(m)}, $1, left(current_user::text, 100), ${success})`;

  return {
    table,
    lockId: String(crc32(Buffer.from(`ladder-plain\0${opts.schema}\0${opts.databaseName}`, 'utf8'))),
    toolLocks: false,

    async ensureTable(db) {
      await db.query(createTableSql(opts.schema));
    },

    async readApplied(db): Promise<AppliedMigration[]> {
      let res;
      try {
        res = await db.query(`SELECT version::text AS version, description, applied_at::text AS applied_at, applied_by, success FROM ${table} ORDER BY version`);
      } catch (err) {
        if ((err as { code?: string }).code === UNDEFINED_TABLE) return [];
        throw err;
      }
      return res.rows.map((r) => ({
        key: String(r.version),
        version: String(r.version),
        description: String(r.description),
        // success DEFAULT true: a NULL written by hand counts as applied, as the column's default says.
        success: r.success !== false,
        installedOn: String(r.applied_at),
        ...(r.applied_by !== null ? { installedBy: String(r.applied_by) } : {}),
      }));
    },

    async applyUp(db, m): Promise<StepTiming> {
      const up = m.up;
      if (!up) throw new LadderError(`Plain-SQL migration ${m.key} has no file to run.`);
      await db.query(mark(m, false), [m.description]);
      const start = process.hrtime.bigint();
      await db.query(`${up.sql}\n;\nUPDATE ${table} SET success = true, applied_at = CURRENT_TIMESTAMP WHERE version = ${version(m)}`);
      return { durationNs: process.hrtime.bigint() - start };
    },

    async applyDown(db, m): Promise<StepTiming> {
      const down = m.down;
      if (!down)
        throw new LadderError(
          `Migration ${m.key} has no rollback script, so it cannot be rolled back.`,
          `Add ${m.key.padStart(3, '0')}_rollback.sql (or rollbacks/${m.key.padStart(3, '0')}_rollback.sql) with the SQL that undoes it.`,
        );
      // A script that commits part of its work itself: mark the row failed first, so a failure is visible.
      if (!down.transaction) await db.query(`UPDATE ${table} SET success = false WHERE version = ${version(m)}`);
      const start = process.hrtime.bigint();
      await db.query(`${down.sql}\n;\nDELETE FROM ${table} WHERE version = ${version(m)}`);
      return { durationNs: process.hrtime.bigint() - start };
    },

    async recordApplied(db, m) {
      await db.query(mark(m, true), [m.description]);
    },

    async recordReverted(db, m) {
      await db.query(`DELETE FROM ${table} WHERE version = ${version(m)}`);
    },

    async repair(db, action) {
      if (action.kind !== 'remove-failed') throw new LadderError(`Plain-SQL projects have no "${action.kind}" repair (version ${action.key}).`);
      const n = Number(action.key);
      if (!Number.isInteger(n)) throw new LadderError(`"${action.key}" is not a plain-SQL version.`);
      await db.query(`DELETE FROM ${table} WHERE version = ${n} AND success IS FALSE`);
    },
  };
}
