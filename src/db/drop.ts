import type { Queryable } from '../formats/types.js';
import { quoteIdent } from './quote.js';

/** golang-migrate's `drop`: every base table in the current schema, CASCADE. Returns their names. */
export async function dropAllTables(db: Queryable): Promise<string[]> {
  const res = await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema=(SELECT current_schema()) AND table_type='BASE TABLE'");
  const names = res.rows.map((r) => String(r.table_name)).filter((n) => n.length > 0);
  for (const name of names) await db.query(`DROP TABLE IF EXISTS ${quoteIdent(name)} CASCADE`);
  return names;
}
