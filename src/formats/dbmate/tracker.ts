import type { AppliedMigration, FormatFile, FormatMigration, FormatTracker, StepTiming, TrackerOptions } from '../driver.js';
import type { Queryable } from '../types.js';
import { quoteIdent } from '../../db/quote.js';
import { LadderError } from '../../errors.js';
import { advisoryLockId } from '../golang-migrate/lock-id.js';
import type { DbmateMigration } from './source.js';
import { isDbmateTable, resolveDbmateTable } from './table.js';

/**
 * dbmate's PostgreSQL tracking table (pkg/driver/postgres/postgres.go) and its Migrate / Rollback
 * steps (pkg/dbmate/db.go), statement for statement; docs/formats-spec.md §1.3-1.6.
 *
 * dbmate quotes the name parts server-side with quote_ident(), which leaves plain lower-case names
 * bare; Ladder always double-quotes them. Both spellings name the same table.
 *
 * Lock: dbmate takes none. lockId is golang-migrate's formula over "schema\0table\0<current_database()>",
 * so Ladder's own dbmate-format runs on one table exclude each other; it does not exclude dbmate.
 */
export function dbmateTracker(opts: TrackerOptions): FormatTracker {
  const { schema, table } = resolveDbmateTable(opts.searchPath || opts.schema, opts.table);
  const qualified = `${quoteIdent(schema)}.${quoteIdent(table)}`;
  const create = `create table if not exists ${qualified} (version varchar primary key)`;
  const insert = `insert into ${qualified} (version) values ($1)`;
  const remove = `delete from ${qualified} where version = $1`;

  /** The body as one simple-protocol query (as lib/pq's Exec with no args), then the row write. */
  const step = async (db: Queryable, file: FormatFile, write: string, version: string): Promise<StepTiming> => {
    const start = process.hrtime.bigint();
    if (!file.transaction) {
      // `transaction:false`: two autocommit statements; a failing row write leaves the body applied.
      await db.query(file.sql);
      await db.query(write, [version]);
      return { durationNs: process.hrtime.bigint() - start };
    }
    await db.query('BEGIN');
    try {
      await db.query(file.sql);
      await db.query(write, [version]);
      await db.query('COMMIT');
    } catch (err) {
      await db.query('ROLLBACK').catch(() => undefined); // the original error is what the caller reports
      throw err;
    }
    return { durationNs: process.hrtime.bigint() - start };
  };

  return {
    table: qualified,
    lockId: advisoryLockId(opts.databaseName, schema, table),
    toolLocks: false,
    async ensureTable(db: Queryable) {
      try {
        await db.query(create);
      } catch (err) {
        if ((err as { code?: string }).code !== '3F000') throw err; // invalid_schema_name
        // dbmate prints "Creating schema: <schema>", creates it and tries once more.
        await db.query(`create schema if not exists ${quoteIdent(schema)}`);
        await db.query(create);
      }
      if (!(await isDbmateTable(db, schema, table)))
        throw new LadderError(
          `${qualified} is not a dbmate migrations table: dbmate's has a single varchar column "version".`,
          table === 'schema_migrations'
            ? 'golang-migrate uses the same table name (version bigint, dirty boolean). Use the golang-migrate format for this database, or give dbmate another table (DBMATE_MIGRATIONS_TABLE).'
            : 'Give dbmate another table (DBMATE_MIGRATIONS_TABLE), or rename this one.',
        );
    },
    async readApplied(db: Queryable): Promise<AppliedMigration[]> {
      // MigrationsTableExists (spacing as in dbmate), then SelectMigrations.
      const exists = await db.query('SELECT 1 FROM information_schema.tables WHERE  table_schema = $1 AND    table_name   = $2', [schema, table]);
      if (exists.rows.length === 0) return [];
      const res = await db.query(`select version from ${qualified} order by version desc`);
      return res.rows.map((r) => {
        const version = String(r.version);
        return { key: version, version, success: true };
      });
    },
    async applyUp(db: Queryable, m: FormatMigration): Promise<StepTiming> {
      return step(db, section(m, 'up'), insert, versionOf(m));
    },
    async applyDown(db: Queryable, m: FormatMigration): Promise<StepTiming> {
      return step(db, section(m, 'down'), remove, versionOf(m));
    },
    async recordApplied(db: Queryable, m: FormatMigration) {
      await db.query(insert, [versionOf(m)]);
    },
    async recordReverted(db: Queryable, m: FormatMigration) {
      await db.query(remove, [versionOf(m)]);
    },
    async repair() {
      throw new LadderError('dbmate keeps no checksums and no failure flag, so there is nothing to repair.');
    },
  };
}

function versionOf(m: FormatMigration): string {
  if (m.version === null) throw new LadderError(`dbmate migrations always have a version; ${m.key} has none.`);
  return m.version;
}

/** The section to run, or the error dbmate would stop with before running anything. */
function section(m: FormatMigration, direction: 'up' | 'down'): FormatFile {
  const file = m[direction];
  if (file) return file;
  const { file: name = m.key, problem, dbmateError } = m as Partial<DbmateMigration>;
  if (problem?.kind === 'unsupported') throw new LadderError(problem.message);
  const why = dbmateError ? `: ${dbmateError}` : '';
  if (direction === 'down')
    throw new LadderError(
      `${name} has no down section dbmate can run${why}.`,
      "Add a '-- migrate:down' line after the up section (nothing needs to follow it), or mark the migration reverted without running anything.",
    );
  throw new LadderError(
    `${name} has no up section dbmate can run${why}.`,
    "A dbmate file starts with '-- migrate:up' (only blank and comment lines may come before it) and has one '-- migrate:down' after it.",
  );
}
