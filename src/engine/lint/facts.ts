import type { Queryable } from '../../formats/types.js';
import { splitStatements } from '../../db/statements.js';
import { quoteIdent } from '../../db/quote.js';
import { functionsCalled, notNullCheckColumn, type Node } from './ast.js';
import type { ColumnType, DbFacts, LintFile, TableFacts } from './types.js';

/** Every relation name the files mention (RangeVars and DROP TABLE's names), to look up only those. */
function namesIn(node: unknown, out: Set<string>): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const x of node) namesIn(x, out);
    return;
  }
  const n = node as Node;
  if (typeof n.relname === 'string') out.add(n.relname);
  if (n.DropStmt) for (const o of n.DropStmt.objects ?? []) for (const i of o.List?.items ?? []) if (i.String?.sval) out.add(i.String.sval);
  for (const v of Object.values(n)) if (v && typeof v === 'object') namesIn(v, out);
}

/** What the live database says about the tables and functions the files use: a handful of catalog reads. */
export async function gatherFacts(db: Queryable, files: LintFile[]): Promise<DbFacts> {
  const names = new Set<string>();
  const funcs = new Set<string>();
  for (const f of files) {
    if (!f.parsed.ok) continue;
    for (const s of f.parsed.statements) {
      namesIn({ [s.kind]: s.node }, names);
      for (const fn of functionsCalled(s.node)) funcs.add(fn);
    }
  }
  const head = await db.query(
    `SELECT current_setting('server_version_num')::int AS v, current_schemas(false)::text[] AS path,
            extract(epoch FROM current_setting('lock_timeout')::interval) * 1000 AS lock_ms`,
  );
  const facts: DbFacts = {
    serverVersionNum: Number(head.rows[0].v),
    searchPath: head.rows[0].path as string[],
    lockTimeoutMs: Number(head.rows[0].lock_ms),
    tables: new Map(),
    volatility: new Map(),
  };
  if (funcs.size > 0) {
    // 'i' < 's' < 'v': of several overloads, the most volatile decides.
    const res = await db.query(`SELECT proname, max(provolatile::text) AS v FROM pg_proc WHERE proname = ANY($1) GROUP BY proname`, [[...funcs]]);
    for (const r of res.rows) facts.volatility.set(r.proname, r.v);
  }
  if (names.size === 0) return facts;
  const rels = await db.query(
    `SELECT c.oid, n.nspname, c.relname, c.reltuples::float8 AS reltuples
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND c.relname = ANY($1) AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
    [[...names]],
  );
  if (rels.rows.length === 0) return facts;
  const byOid = new Map<number, TableFacts>();
  for (const r of rels.rows) {
    const estimate = Number(r.reltuples);
    const t: TableFacts = { schema: r.nspname, name: r.relname, estimate: estimate >= 0 ? estimate : null, hasRows: null, columns: new Map(), notNullChecked: new Set() };
    byOid.set(Number(r.oid), t);
    facts.tables.set(`${t.schema}.${t.name}`, t);
  }
  const oids = [...byOid.keys()];
  const cols = await db.query(
    `SELECT a.attrelid, a.attname, a.atttypmod, a.attnotnull, t.typname, t.typcategory, e.typname AS elem
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
      WHERE a.attrelid = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped`,
    [oids],
  );
  for (const c of cols.rows) {
    const t = byOid.get(Number(c.attrelid))!;
    t.columns.set(c.attname, columnType(c.elem ?? c.typname, Number(c.atttypmod), c.elem !== null));
    if (c.attnotnull) t.notNullChecked.add(c.attname);
  }
  const checks = await db.query(`SELECT conrelid, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'c' AND convalidated AND conrelid = ANY($1)`, [oids]);
  for (const c of checks.rows) {
    const parsed = await splitStatements(`ALTER TABLE x ADD ${c.def}`);
    const con = parsed.ok ? parsed.statements[0]?.node.cmds?.[0]?.AlterTableCmd?.def?.Constraint : undefined;
    const col = notNullCheckColumn(con?.raw_expr);
    if (col) byOid.get(Number(c.conrelid))!.notNullChecked.add(col);
  }
  // The estimate is 0 or missing for a table never analyzed: read one row to know whether it has any.
  for (const t of byOid.values()) {
    if (t.estimate !== null && t.estimate >= 1) continue;
    try {
      const r = await db.query(`SELECT EXISTS (SELECT 1 FROM ONLY ${quoteIdent(t.schema)}.${quoteIdent(t.name)}) AS some`);
      t.hasRows = Boolean(r.rows[0].some);
    } catch {
      t.hasRows = null; // no SELECT privilege: say it is not known
    }
  }
  return facts;
}

/** atttypmod decoded the way format_type does for the types whose modifiers decide a rewrite. */
function columnType(type: string, typmod: number, array: boolean): ColumnType {
  let mods: number[] = [];
  if (typmod >= 0) {
    if (type === 'varchar' || type === 'bpchar') mods = [typmod - 4];
    else if (type === 'numeric') mods = [((typmod - 4) >> 16) & 0xffff, (typmod - 4) & 0xffff];
    else mods = [typmod];
  }
  return { type, mods, array };
}
