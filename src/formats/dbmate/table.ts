import type { Queryable } from '../types.js';
import { LadderError } from '../../errors.js';

export const DBMATE_TABLE = 'schema_migrations';

export interface DbmateTable {
  schema: string;
  table: string;
}

/**
 * Which table dbmate uses (postgres.go migrationsTableNameParts): a name containing "." is
 * `schema.table`; otherwise the schema is the first search_path entry of the URL, else
 * current_schema(), else "public". `schema` is that second step's answer, which the caller works out
 * ({@link searchPathSchema} of the URL, falling back to current_schema()).
 *
 * dbmate splits on every ".", so "a.b.c" names schema "a" and a table it spells a.b.c, which
 * PostgreSQL reads as database.schema.table: Ladder refuses such names instead of copying that.
 */
export function resolveDbmateTable(schema: string, table?: string): DbmateTable {
  const name = table || DBMATE_TABLE;
  const parts = name.split('.');
  let resolved = schema;
  if (parts.length > 1) {
    resolved = parts.shift()! || schema;
  }
  if (parts.length !== 1 || parts[0] === '')
    throw new LadderError(
      `dbmate migrations table "${name}" is not "table" or "schema.table".`,
      'dbmate splits the name on every dot and quotes each part; use at most one dot (DBMATE_MIGRATIONS_TABLE=schema.table).',
    );
  return { schema: resolved || 'public', table: parts[0]! };
}

/** The first entry of the URL's search_path parameter, trimmed, as dbmate reads it ('' when absent). */
export function searchPathSchema(url: string): string {
  let value: string | null;
  try {
    value = new URL(url).searchParams.get('search_path');
  } catch {
    return '';
  }
  return (value ?? '').split(',')[0]!.trim();
}

/**
 * Whether schema.table has dbmate's shape: a `version` column of type varchar or text and no `dirty`
 * column. golang-migrate's table of the same default name has `version bigint` and `dirty boolean`.
 * Further columns are accepted (dbmate only ever names `version`, so added columns with defaults
 * do not disturb it). False when the table does not exist.
 */
export async function isDbmateTable(db: Queryable, schema: string, table: string): Promise<boolean> {
  const res = await db.query(
    `SELECT a.attname AS name, a.atttypid::regtype::text AS type
       FROM pg_catalog.pg_attribute a
       JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
       JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema, table],
  );
  const columns = new Map<string, string>(res.rows.map((r) => [String(r.name), String(r.type)]));
  const version = columns.get('version');
  return (version === 'character varying' || version === 'text') && !columns.has('dirty');
}
