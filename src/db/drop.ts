import type { Queryable } from './queryable.js';
import { quoteIdent } from './quote.js';

/** golang-migrate's `drop`: every base table in the current schema, CASCADE. Returns their names. */
export async function dropAllTables(db: Queryable): Promise<string[]> {
  const res = await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema=(SELECT current_schema()) AND table_type='BASE TABLE'");
  const names = res.rows.map((r) => String(r.table_name)).filter((n) => n.length > 0);
  for (const name of names) await db.query(`DROP TABLE IF EXISTS ${quoteIdent(name)} CASCADE`);
  return names;
}

/** Not a member of an extension (those go with DROP EXTENSION, which clean leaves alone). */
const NOT_EXTENSION = (cls: string, oid: string) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${cls}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

/**
 * Flyway's `clean` on PostgreSQL: every object of the schema, not only its tables: materialized views,
 * views, tables (CASCADE), sequences, functions, procedures and aggregates, then types (enums,
 * composites, domains, ranges). The schema itself stays. Returns what was dropped, as "kind name".
 */
export async function dropAllObjects(db: Queryable, schema: string): Promise<string[]> {
  const dropped: string[] = [];
  const rels = await db.query(
    `SELECT c.relname AS name, c.relkind AS kind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('m', 'v', 'r', 'p', 'f') AND ${NOT_EXTENSION('pg_class', 'c.oid')}
        AND NOT (c.relkind = 'r' AND c.relispartition)
      ORDER BY CASE c.relkind WHEN 'm' THEN 0 WHEN 'v' THEN 1 ELSE 2 END, c.relname`,
    [schema],
  );
  const word: Record<string, string> = { m: 'MATERIALIZED VIEW', v: 'VIEW', r: 'TABLE', p: 'TABLE', f: 'FOREIGN TABLE' };
  for (const r of rels.rows as { name: string; kind: string }[]) {
    await db.query(`DROP ${word[r.kind]} IF EXISTS ${quoteIdent(schema)}.${quoteIdent(r.name)} CASCADE`);
    dropped.push(`${word[r.kind]!.toLowerCase()} ${r.name}`);
  }
  const seqs = await db.query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'S' AND ${NOT_EXTENSION('pg_class', 'c.oid')} ORDER BY 1`,
    [schema],
  );
  for (const r of seqs.rows as { name: string }[]) {
    await db.query(`DROP SEQUENCE IF EXISTS ${quoteIdent(schema)}.${quoteIdent(r.name)} CASCADE`);
    dropped.push(`sequence ${r.name}`);
  }
  const routines = await db.query(
    `SELECT p.oid::regprocedure::text AS signature, p.prokind AS kind FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = $1 AND ${NOT_EXTENSION('pg_proc', 'p.oid')} ORDER BY 1`,
    [schema],
  );
  const routineWord: Record<string, string> = { f: 'FUNCTION', p: 'PROCEDURE', a: 'AGGREGATE', w: 'FUNCTION' };
  for (const r of routines.rows as { signature: string; kind: string }[]) {
    // regprocedure text is already quoted and schema-qualified as needed for this search_path.
    await db.query(`DROP ${routineWord[r.kind] ?? 'FUNCTION'} IF EXISTS ${r.signature} CASCADE`);
    dropped.push(`${(routineWord[r.kind] ?? 'FUNCTION').toLowerCase()} ${r.signature}`);
  }
  const types = await db.query(
    `SELECT t.typname AS name, t.typtype AS kind FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1 AND t.typtype IN ('e', 'c', 'd', 'r') AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
        AND ${NOT_EXTENSION('pg_type', 't.oid')} ORDER BY 1`,
    [schema],
  );
  for (const r of types.rows as { name: string; kind: string }[]) {
    const what = r.kind === 'd' ? 'DOMAIN' : 'TYPE';
    await db.query(`DROP ${what} IF EXISTS ${quoteIdent(schema)}.${quoteIdent(r.name)} CASCADE`);
    dropped.push(`${what.toLowerCase()} ${r.name}`);
  }
  return dropped;
}
