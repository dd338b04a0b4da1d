import { parseFileName } from './parse.js';

/** golang-migrate and sqlx name their reversible files <version>_<name>.up.sql / .down.sql. */
export const UP_DOWN_PAIR = /\.(?:up|down)\.sql$/;

/**
 * Name-only score in [0, 0.5]: the share of .sql files named as dbmate names them (leading digits,
 * ".sql", not an .up.sql/.down.sql pair). Names alone cannot tell dbmate from sqlx's simple
 * migrations (both are `<digits>_<name>.sql`); detection (scanFolder) also reads a sample of the files
 * for the `-- migrate:up` markers that can.
 */
export function dbmateNameScore(fileNames: string[]): number {
  const sql = fileNames.filter((f) => f.toLowerCase().endsWith('.sql'));
  if (sql.length === 0) return 0;
  const named = sql.filter((f) => parseFileName(f) && !UP_DOWN_PAIR.test(f));
  return (0.5 * named.length) / sql.length;
}
