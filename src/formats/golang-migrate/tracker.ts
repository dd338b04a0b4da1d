import type { DbState, Queryable, Tracker, Version } from '../types.js';
import { NIL_VERSION } from '../types.js';
import { quoteIdent } from '../../db/quote.js';
import { advisoryLockId } from './lock-id.js';
import { dropAllTables } from '../../db/drop.js';
import { LadderError } from '../../errors.js';

export interface TableOptions {
  /** x-migrations-table, taken literally unless quoted is set. */
  migrationsTable?: string;
  /** x-migrations-table-quoted: the table is given as "schema"."table". */
  quoted?: boolean;
}

export interface TrackerTarget {
  schema: string;
  table: string;
}

/** Resolves which table golang-migrate would use, given current_schema() and the x- options. */
export function resolveTable(currentSchema: string, opts: TableOptions): TrackerTarget {
  const raw = opts.migrationsTable || 'schema_migrations';
  if (!opts.quoted || !opts.migrationsTable) return { schema: currentSchema, table: raw };
  if (!(raw.startsWith('"') && raw.endsWith('"')))
    throw new LadderError(
      `x-migrations-table must be quoted (for instance '"migrate"."schema_migrations"') when x-migrations-table-quoted is enabled, current value is: ${raw}`,
    );
  const parts = [...raw.matchAll(/"(.*?)"/g)].map((m) => m[1]!);
  if (parts.length > 2) throw new LadderError(`"${raw}" MigrationsTable contains too many dot characters`);
  return parts.length === 2 ? { schema: parts[0]!, table: parts[1]! } : { schema: currentSchema, table: parts[0]! };
}

export function golangMigrateTracker(target: TrackerTarget, databaseName: string): Tracker {
  const qualified = `${quoteIdent(target.schema)}.${quoteIdent(target.table)}`;
  const setVersionSql = (version: Version, dirty: boolean, replacesOwnRow = false): string => {
    if (!/^-?\d+$/.test(version)) throw new LadderError(`golang-migrate versions are integers; "${version}" is not one.`);
    const keepsRow = version !== NIL_VERSION || dirty; // golang-migrate stores no row for a clean nil version
    // The caller holds the lock and wrote the single row itself: one UPDATE gives the same contents.
    if (replacesOwnRow && keepsRow) return `UPDATE ${qualified} SET version = ${version}, dirty = ${dirty};`;
    // golang-migrate: TRUNCATE + INSERT in one transaction. DELETE leaves the same single row and is
    // much cheaper than TRUNCATE's new relfilenode.
    const insert = keepsRow ? `INSERT INTO ${qualified} (version, dirty) VALUES (${version}, ${dirty});` : '';
    return `DELETE FROM ${qualified};${insert}`;
  };
  let lockId: string | undefined;
  return {
    table: qualified,
    schema: target.schema,
    toolLocks: true,
    // Worked out when a command first takes the lock (it needs node:zlib; status never does).
    get lockId() {
      return (lockId ??= advisoryLockId(databaseName, target.schema, target.table));
    },
    async ensureTable(db: Queryable) {
      const found = await db.query(
        'SELECT COUNT(1) AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2 LIMIT 1',
        [target.schema, target.table],
      );
      if (Number(found.rows[0]?.n) === 1) return;
      await db.query(`CREATE TABLE IF NOT EXISTS ${qualified} (version bigint not null primary key, dirty boolean not null)`);
    },
    async readState(db: Queryable): Promise<DbState> {
      try {
        const res = await db.query({ text: `SELECT version::text AS version, dirty FROM ${qualified} LIMIT 1` });
        const row = res.rows[0];
        if (!row) return { version: NIL_VERSION, dirty: false };
        return { version: String(row.version), dirty: Boolean(row.dirty) };
      } catch (err) {
        if ((err as { code?: string }).code === '42P01') return { version: NIL_VERSION, dirty: false }; // undefined_table
        if ((err as { code?: string }).code === '42703')
          // undefined_column: a table of this name that is not golang-migrate's, typically dbmate's (version varchar only)
          throw new LadderError(
            `${qualified} is not a golang-migrate migrations table: it has no (version bigint, dirty boolean) columns (${(err as Error).message}).`,
            target.table === 'schema_migrations'
              ? "dbmate uses the same table name with a single varchar column \"version\". If this database is dbmate's, use -format dbmate; otherwise give golang-migrate another table (x-migrations-table=...). Nothing was changed."
              : 'Give golang-migrate another table (x-migrations-table=...), or rename this one. Nothing was changed.',
          );
        throw err;
      }
    },
    setVersionSql,
    ownRowUpdate: { versionType: 'bigint', sql: (versionSql, dirty) => `UPDATE ${qualified} SET version = ${versionSql}, dirty = ${dirty}` },
    async setVersion(db: Queryable, version: Version, dirty: boolean) {
      await db.query(`BEGIN;${setVersionSql(version, dirty)}COMMIT;`);
    },
    drop: dropAllTables,
  };
}
