import type pg from 'pg';
import { quoteLiteral } from './quote.js';

/**
 * A deterministic, JSON-able picture of the user-visible schema of a database:
 * what a migration changes and what its down migration must put back.
 * Data (row contents, sequence positions) is deliberately left out.
 */
export interface CatalogSnapshot {
  schemas: string[];
  extensions: ExtensionInfo[];
  tables: TableInfo[];
  constraints: ConstraintInfo[];
  indexes: IndexInfo[];
  sequences: SequenceInfo[];
  views: ViewInfo[];
  functions: FunctionInfo[];
  triggers: TriggerInfo[];
  policies: PolicyInfo[];
  types: TypeInfo[];
  /** Privileges granted to roles other than the object's owner (the owner's own are implied). */
  grants: GrantInfo[];
  comments: CommentInfo[];
}

export interface ExtensionInfo {
  name: string;
  schema: string;
  version: string;
}

export interface ColumnInfo {
  name: string;
  type: string;
  notNull: boolean;
  default: string | null;
  /** 'a' (ALWAYS) / 'd' (BY DEFAULT) identity, or null. */
  identity: string | null;
  /** Expression of a STORED generated column, or null. */
  generated: string | null;
  collation: string | null;
}

export interface TableInfo {
  schema: string;
  name: string;
  /** 'table', 'partitioned table' or 'foreign table'. */
  kind: string;
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  options: string[];
  columns: ColumnInfo[];
}

export interface ConstraintInfo {
  schema: string;
  /** The table, or the domain for a domain constraint. */
  table: string;
  name: string;
  type: string;
  definition: string;
}

export interface IndexInfo {
  schema: string;
  table: string;
  name: string;
  definition: string;
  /** Key columns or expressions, as pg_get_indexdef prints each. */
  columns: string[];
  unique: boolean;
  method: string;
  predicate: string | null;
  /** false: a CREATE INDEX CONCURRENTLY that failed left it behind, unusable. */
  valid: boolean;
}

export interface SequenceInfo {
  schema: string;
  name: string;
  dataType: string;
  start: string;
  min: string;
  max: string;
  increment: string;
  cycle: boolean;
  cache: string;
  /** `schema.table.column` of an owning column (OWNED BY or identity), or null. */
  ownedBy: string | null;
}

export interface ViewInfo {
  schema: string;
  name: string;
  kind: 'view' | 'materialized view';
  options: string[];
  definition: string;
}

export interface FunctionInfo {
  schema: string;
  name: string;
  /** Identity arguments, e.g. `id bigint`. */
  args: string;
  kind: 'function' | 'procedure' | 'aggregate' | 'window';
  /** pg_get_functiondef (or, for aggregates, a summary of the aggregate). */
  definition: string;
}

export interface TriggerInfo {
  schema: string;
  table: string;
  name: string;
  enabled: string;
  definition: string;
}

export interface PolicyInfo {
  schema: string;
  table: string;
  name: string;
  permissive: string;
  roles: string[];
  command: string;
  using: string | null;
  withCheck: string | null;
}

export interface TypeInfo {
  schema: string;
  name: string;
  kind: 'enum' | 'domain' | 'composite' | 'range';
  /** Enum labels in sort order; domain base type and constraints; composite attributes. */
  details: string[];
}

export interface GrantInfo {
  schema: string;
  kind: 'table' | 'view' | 'sequence' | 'function' | 'schema';
  /** The object (a function with its identity arguments). */
  name: string;
  /** A role name, or PUBLIC. */
  grantee: string;
  /** Privilege names in alphabetical order, `*` after one grantable. */
  privileges: string[];
}

export interface CommentInfo {
  schema: string;
  kind: 'table' | 'column' | 'view' | 'index' | 'sequence' | 'function' | 'type' | 'schema';
  /** `table`, `table.column`, `function(args)`. */
  name: string;
  comment: string;
}

export interface SnapshotOptions {
  /** Tables left out (with their constraints, indexes, triggers, policies and owned sequences). */
  excludeTables?: readonly string[];
  /**
   * Only objects with one of these names, or on a table with one of these names (indexes, constraints,
   * triggers, policies, columns, owned sequences): what a step can have touched, from the parser.
   * Absent: everything in the schemas.
   */
  names?: readonly string[];
  /** Instead of `names`: an SQL expression of type text[] giving them, NULL meaning everything (a function parameter). */
  namesSql?: string;
}

/** Tables Ladder itself keeps in the target database. */
export const DEFAULT_EXCLUDED_TABLES: readonly string[] = ['schema_migrations', 'ladder_journal'];

type Queryable = Pick<pg.Client, 'query'>;

const SYSTEM_SCHEMA_FILTER = `
  n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`;

// On the scanned row itself (not only through the join): keeps per-row subqueries off the ~3,000 built-in functions.
const NOT_SYSTEM_NS = (col: string) => `${col} <> ALL (ARRAY['pg_catalog'::regnamespace, 'information_schema'::regnamespace]::oid[])`;

const textArray = (list: readonly string[]) => `ARRAY[${list.map(quoteLiteral).join(', ')}]::text[]`;

/**
 * One SELECT returning the snapshot as one json value (so it can ride along in another statement, e.g.
 * the journal's INSERT, without a round trip of its own). Literals are inlined: no parameters.
 * @param schemas only these schemas (default: every non-system schema)
 */
export function snapshotSql(schemas?: readonly string[], options: SnapshotOptions = {}): string {
  const excluded = textArray(options.excludeTables ?? DEFAULT_EXCLUDED_TABLES);
  const inSchemas = `(${SYSTEM_SCHEMA_FILTER} ${schemas ? `AND n.nspname = ANY(${textArray(schemas)})` : ''})`;
  const names = options.namesSql ?? (options.names ? textArray(options.names) : null);
  /** True when one of the expressions is a touched name (always true without a name filter). */
  const named = (...exprs: string[]) => {
    if (!names) return 'true';
    const any = exprs.map((e) => `${e} = ANY(${names})`).join(' OR ');
    return options.namesSql ? `(${names} IS NULL OR ${any})` : `(${any})`;
  };
  // Objects that belong to an extension are described by the extension, not listed one by one.
  const notExtensionMember = (classid: string, oid: string) =>
    `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${classid}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;
  const list = (sql: string) => `(SELECT coalesce(json_agg(q), '[]'::json) FROM (${sql}) q)`;
  const part = {
    schemas: `SELECT n.nspname AS name FROM pg_namespace n WHERE ${inSchemas} AND ${named('n.nspname')}`,
    extensions: `SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version
       FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE ${inSchemas} AND ${named('e.extname')}`,
    tables: `SELECT n.nspname AS schema, c.relname AS name,
            CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' ELSE 'foreign table' END AS kind,
            c.relrowsecurity AS "rowSecurity", c.relforcerowsecurity AS "forceRowSecurity",
            coalesce(c.reloptions, '{}')::text[] AS options,
            (SELECT coalesce(json_agg(col ORDER BY col.position), '[]'::json) FROM (
               SELECT a.attnum AS position, a.attname AS name,
                      format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
                      CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS default,
                      nullif(a.attidentity, '') AS identity,
                      CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
                      CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                           THEN (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                                   FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                                  WHERE co.oid = a.attcollation) END AS collation
                 FROM pg_attribute a
                 JOIN pg_type t ON t.oid = a.atttypid
                 LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) col) AS columns
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'f') AND ${NOT_SYSTEM_NS('c.relnamespace')} AND ${inSchemas} AND c.relname <> ALL(${excluded}) AND ${named('c.relname')}
        AND ${notExtensionMember('pg_class', 'c.oid')}`,
    constraints: `SELECT n.nspname AS schema, coalesce(c.relname, t.typname) AS table, con.conname AS name,
            CASE con.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign key'
                 WHEN 'c' THEN 'check' WHEN 'x' THEN 'exclusion' WHEN 'n' THEN 'not null'
                 WHEN 't' THEN 'trigger' ELSE con.contype::text END AS type,
            pg_get_constraintdef(con.oid, true) AS definition
       FROM pg_constraint con
       JOIN pg_namespace n ON n.oid = con.connamespace
       LEFT JOIN pg_class c ON c.oid = con.conrelid
       LEFT JOIN pg_type t ON t.oid = con.contypid
      WHERE ${inSchemas} AND (c.relname IS NULL OR c.relname <> ALL(${excluded}))
        AND (c.oid IS NOT NULL OR t.oid IS NOT NULL)
        AND ${named('c.relname', 't.typname', 'con.conname')}
        -- NOT NULL constraints (PostgreSQL 18+) are already covered by the columns.
        AND con.contype <> 'n'`,
    indexes: `SELECT n.nspname AS schema, t.relname AS table, i.relname AS name,
            pg_get_indexdef(i.oid) AS definition,
            ARRAY(SELECT pg_get_indexdef(i.oid, k, true) FROM generate_series(1, x.indnkeyatts) k) AS columns,
            x.indisunique AS unique, am.amname AS method,
            pg_get_expr(x.indpred, x.indrelid, true) AS predicate, x.indisvalid AS valid
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_am am ON am.oid = i.relam
       JOIN pg_namespace n ON n.oid = i.relnamespace
      WHERE ${inSchemas} AND t.relname <> ALL(${excluded}) AND t.relkind IN ('r', 'p', 'm', 'f')
        AND ${named('t.relname', 'i.relname')}
        AND ${notExtensionMember('pg_class', 't.oid')}`,
    sequences: `SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS "dataType",
            s.seqstart::text AS start, s.seqmin::text AS min, s.seqmax::text AS max,
            s.seqincrement::text AS increment, s.seqcycle AS cycle, s.seqcache::text AS cache,
            o.column_name AS "ownedBy"
       FROM pg_sequence s
       JOIN pg_class c ON c.oid = s.seqrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN LATERAL (
         SELECT oc.relname AS table_name,
                quote_ident(on_.nspname) || '.' || quote_ident(oc.relname) || '.' || quote_ident(oa.attname) AS column_name
           FROM pg_depend d
           JOIN pg_class oc ON oc.oid = d.refobjid
           JOIN pg_namespace on_ ON on_.oid = oc.relnamespace
           JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
          WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass
            AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
          ORDER BY oc.relname LIMIT 1) o ON true
      WHERE ${inSchemas}
        -- A sequence owned by an excluded table (a serial in schema_migrations, say) goes with it.
        AND (o.table_name IS NULL OR o.table_name <> ALL(${excluded}))
        AND ${named('c.relname', 'o.table_name')}
        AND ${notExtensionMember('pg_class', 'c.oid')}`,
    views: `SELECT n.nspname AS schema, c.relname AS name,
            CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END AS kind,
            coalesce(c.reloptions, '{}')::text[] AS options,
            pg_get_viewdef(c.oid, true) AS definition
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND ${NOT_SYSTEM_NS('c.relnamespace')} AND ${inSchemas} AND c.relname <> ALL(${excluded}) AND ${named('c.relname')}
        AND ${notExtensionMember('pg_class', 'c.oid')}`,
    functions: `SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args,
            CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window'
                 ELSE 'function' END AS kind,
            CASE WHEN p.prokind = 'a'
                 THEN 'aggregate returning ' || format_type(p.prorettype, NULL) || ' using '
                      || (SELECT ag.aggtransfn::regproc::text || '/' || ag.aggfinalfn::regproc::text
                            FROM pg_aggregate ag WHERE ag.aggfnoid = p.oid)
                 ELSE pg_get_functiondef(p.oid) END AS definition
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE ${NOT_SYSTEM_NS('p.pronamespace')} AND ${inSchemas} AND ${named('p.proname')}
        AND ${notExtensionMember('pg_proc', 'p.oid')}`,
    triggers: `SELECT n.nspname AS schema, c.relname AS table, tg.tgname AS name, tg.tgenabled::text AS enabled,
            pg_get_triggerdef(tg.oid, true) AS definition
       FROM pg_trigger tg
       JOIN pg_class c ON c.oid = tg.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT tg.tgisinternal AND ${inSchemas} AND c.relname <> ALL(${excluded})
        AND ${named('c.relname', 'tg.tgname')}
        AND ${notExtensionMember('pg_class', 'c.oid')}`,
    policies: `SELECT schemaname AS schema, tablename AS table, policyname AS name, permissive,
            roles::text[] AS roles, cmd AS command, qual AS using, with_check AS "withCheck"
       FROM pg_policies p JOIN pg_namespace n ON n.nspname = p.schemaname
      WHERE ${inSchemas} AND tablename <> ALL(${excluded}) AND ${named('tablename', 'policyname')}`,
    types: `SELECT n.nspname AS schema, t.typname AS name,
            CASE t.typtype WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range'
                 ELSE 'composite' END AS kind,
            CASE t.typtype
              WHEN 'e' THEN ARRAY(SELECT e.enumlabel::text FROM pg_enum e
                                   WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
              WHEN 'd' THEN ARRAY[format_type(t.typbasetype, t.typtypmod),
                                  'not null: ' || t.typnotnull::text,
                                  'default: ' || coalesce(t.typdefault, '')]
              WHEN 'r' THEN ARRAY(SELECT 'subtype: ' || format_type(r.rngsubtype, NULL)
                                    FROM pg_range r WHERE r.rngtypid = t.oid)
              ELSE ARRAY(SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                           FROM pg_attribute a
                          WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
                          ORDER BY a.attnum)
            END AS details
       FROM pg_type t
       JOIN pg_namespace n ON n.oid = t.typnamespace
       LEFT JOIN pg_class c ON c.oid = t.typrelid
      WHERE ${NOT_SYSTEM_NS('t.typnamespace')} AND ${inSchemas} AND ${named('t.typname')}
        AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND c.relkind = 'c'))
        AND ${notExtensionMember('pg_type', 't.oid')}`,
    grants: `SELECT schema, kind, name, grantee,
            array_agg(privilege || CASE WHEN grantable THEN '*' ELSE '' END ORDER BY privilege) AS privileges
       FROM (
         SELECT n.nspname AS schema,
                CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'v' THEN 'view' WHEN 'm' THEN 'view' ELSE 'table' END AS kind,
                c.relname AS name, c.relowner AS owner, a.grantee AS grantee_oid, a.privilege_type AS privilege, a.is_grantable AS grantable
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
          WHERE c.relacl IS NOT NULL AND ${NOT_SYSTEM_NS('c.relnamespace')} AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND ${inSchemas} AND c.relname <> ALL(${excluded})
            AND ${named('c.relname')}
         UNION ALL
         SELECT n.nspname, 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', p.proowner,
                a.grantee, a.privilege_type, a.is_grantable
           FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, aclexplode(p.proacl) a
          WHERE p.proacl IS NOT NULL AND ${NOT_SYSTEM_NS('p.pronamespace')} AND ${inSchemas} AND ${named('p.proname')}
         UNION ALL
         SELECT n.nspname, 'schema', n.nspname, n.nspowner, a.grantee, a.privilege_type, a.is_grantable
           FROM pg_namespace n, aclexplode(n.nspacl) a
          WHERE n.nspacl IS NOT NULL AND ${inSchemas} AND ${named('n.nspname')}
       ) g
       CROSS JOIN LATERAL (SELECT CASE WHEN g.grantee_oid = 0 THEN 'PUBLIC'
                                       ELSE (SELECT rolname FROM pg_roles WHERE oid = g.grantee_oid) END AS grantee) r
      WHERE g.grantee_oid <> g.owner
      GROUP BY schema, kind, name, grantee`,
    comments: `SELECT n.nspname AS schema,
            CASE WHEN d.objsubid > 0 THEN 'column' WHEN c.relkind IN ('v', 'm') THEN 'view' WHEN c.relkind = 'i' THEN 'index'
                 WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END AS kind,
            c.relname || CASE WHEN d.objsubid > 0 THEN '.' || a.attname ELSE '' END AS name, d.description AS comment
       FROM pg_description d
       JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND c.oid = d.objoid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid AND d.objsubid > 0
      WHERE ${inSchemas} AND c.relname <> ALL(${excluded}) AND ${named('c.relname')}
     UNION ALL
     SELECT n.nspname, 'function', p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', d.description
       FROM pg_description d JOIN pg_proc p ON d.classoid = 'pg_proc'::regclass AND p.oid = d.objoid
       JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE ${NOT_SYSTEM_NS('p.pronamespace')} AND ${inSchemas} AND ${named('p.proname')} AND ${notExtensionMember('pg_proc', 'p.oid')}
     UNION ALL
     SELECT n.nspname, 'type', t.typname, d.description
       FROM pg_description d JOIN pg_type t ON d.classoid = 'pg_type'::regclass AND t.oid = d.objoid
       JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE ${inSchemas} AND ${named('t.typname')}
     UNION ALL
     SELECT n.nspname, 'schema', n.nspname, d.description
       FROM pg_description d JOIN pg_namespace n ON d.classoid = 'pg_namespace'::regclass AND n.oid = d.objoid
      WHERE ${inSchemas} AND ${named('n.nspname')}
        -- the comment initdb puts on public
        AND NOT (n.nspname = 'public' AND d.description = 'standard public schema')`,
  };
  const fields = Object.entries(part).map(([k, sql]) => `'${k}', ${list(sql)}`);
  return `SELECT json_build_object(${fields.join(',\n')}) AS snapshot`;
}

/**
 * Captures the schema of the database `client` is connected to, in one query.
 * @param schemas only these schemas (default: every non-system schema)
 */
export async function catalogSnapshot(client: Queryable, schemas?: readonly string[], options: SnapshotOptions = {}): Promise<CatalogSnapshot> {
  const res = await client.query(snapshotSql(schemas, options));
  return normalizeSnapshot(res.rows[0].snapshot);
}

type RawSnapshot = Omit<CatalogSnapshot, 'schemas' | 'tables'> & {
  schemas: { name: string }[];
  tables: (Omit<TableInfo, 'columns'> & { columns: (ColumnInfo & { position?: number })[] })[];
};

/** The json snapshotSql returns (as node-postgres parses it) as a sorted CatalogSnapshot. */
export function normalizeSnapshot(raw: unknown): CatalogSnapshot {
  const r = raw as RawSnapshot;
  const tables: TableInfo[] = r.tables.map((t) => ({
    ...t,
    columns: t.columns.map(({ position: _position, ...c }) => c),
  }));
  return {
    schemas: r.schemas.map((s) => s.name).sort(compare),
    extensions: sortBy(r.extensions, (e) => [e.name]),
    tables: sortBy(tables, (t) => [t.schema, t.name]),
    constraints: sortBy(r.constraints, (c) => [c.schema, c.table, c.name]),
    indexes: sortBy(r.indexes, (i) => [i.schema, i.name]),
    sequences: sortBy(r.sequences, (s) => [s.schema, s.name]),
    views: sortBy(r.views, (v) => [v.schema, v.name]),
    functions: sortBy(r.functions, (f) => [f.schema, f.name, f.args]),
    triggers: sortBy(r.triggers, (t) => [t.schema, t.table, t.name]),
    policies: sortBy(
      r.policies.map((p) => ({ ...p, roles: [...p.roles].sort(compare) })),
      (p) => [p.schema, p.table, p.name],
    ),
    types: sortBy(r.types, (t) => [t.schema, t.name]),
    grants: sortBy(r.grants ?? [], (g) => [g.schema, g.kind, g.name, g.grantee]),
    comments: sortBy(r.comments ?? [], (c) => [c.schema, c.kind, c.name]),
  };
}

/** One difference between two snapshots; `text` is the line Ladder prints. */
export interface SchemaChange {
  sign: '+' | '-' | '~';
  kind: string;
  /** The object, schema-qualified unless it is in the default schema. */
  name: string;
  text: string;
}

export interface DiffOptions {
  /** Objects in this schema are named without it (default: public). */
  defaultSchema?: string;
}

/**
 * What changed from `a` to `b`: `+ index t_id on t(id)` (only in b), `- table legacy` (only in a),
 * `~ column t.email varchar(255) → varchar(320)` (changed). Empty: the same schema.
 */
export function schemaChanges(a: CatalogSnapshot, b: CatalogSnapshot, options: DiffOptions = {}): SchemaChange[] {
  const home = options.defaultSchema ?? 'public';
  const q = (schema: string, name: string) => (schema === home ? name : `${schema}.${name}`);
  const out: SchemaChange[] = [];
  const add = (sign: SchemaChange['sign'], kind: string, name: string, rest = '') =>
    out.push({ sign, kind, name, text: `${sign} ${kind} ${name}${rest}` });
  /** + / - with a description, ~ with one line per changed property. */
  const keyed = <T>(kind: string, xs: readonly T[], ys: readonly T[], key: (t: T) => string, name: (t: T) => string, describe: (t: T) => string, changes: (x: T, y: T) => string[]) => {
    const mapA = new Map(xs.map((t) => [key(t), t]));
    const mapB = new Map(ys.map((t) => [key(t), t]));
    for (const [k, x] of mapA) {
      const y = mapB.get(k);
      if (y === undefined) add('-', kind, name(x), describe(x));
      else for (const c of changes(x, y)) add('~', kind, name(x), c);
    }
    for (const [k, y] of mapB) if (!mapA.has(k)) add('+', kind, name(y), describe(y));
  };
  const none = () => '';
  const change = (what: string, x: unknown, y: unknown) => (x === y ? [] : [`: ${what}${what ? ' ' : ''}${x ?? '(none)'} → ${y ?? '(none)'}`]);

  keyed('schema', a.schemas, b.schemas, (s) => s, (s) => s, none, () => []);
  keyed('extension', a.extensions, b.extensions, (e) => e.name, (e) => e.name, (e) => ` ${e.version}`, (x, y) =>
    x.version !== y.version || x.schema !== y.schema ? [` ${x.schema} ${x.version} → ${y.schema} ${y.version}`] : [],
  );

  const tableKey = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;
  keyed('table', a.tables, b.tables, tableKey, (t) => q(t.schema, t.name), (t) => (t.kind === 'table' ? '' : ` (${t.kind})`), (x, y) => [
    ...change('', x.kind, y.kind),
    ...change('row level security', onOff(x.rowSecurity), onOff(y.rowSecurity)),
    ...change('force row level security', onOff(x.forceRowSecurity), onOff(y.forceRowSecurity)),
    ...change('options', fmtList(x.options), fmtList(y.options)),
  ]);
  // Columns of tables present on both sides (an added or dropped table is one line above).
  const bTables = new Map(b.tables.map((t) => [tableKey(t), t]));
  for (const ta of a.tables) {
    const tb = bTables.get(tableKey(ta));
    if (!tb) continue;
    const t = q(ta.schema, ta.name);
    keyed('column', ta.columns, tb.columns, (c) => c.name, (c) => `${t}.${c.name}`, describeColumn, (x, y) => [
      ...(x.type !== y.type ? [` ${shortType(x.type)} → ${shortType(y.type)}`] : []),
      ...change('', x.notNull ? 'not null' : 'null', y.notNull ? 'not null' : 'null'),
      ...change('default', x.default, y.default),
      ...change('identity', x.identity, y.identity),
      ...change('generated', x.generated, y.generated),
      ...change('collation', x.collation ?? '(default)', y.collation ?? '(default)'),
    ]);
    const orderA = ta.columns.map((c) => c.name).filter((n) => tb.columns.some((c) => c.name === n));
    const orderB = tb.columns.map((c) => c.name).filter((n) => ta.columns.some((c) => c.name === n));
    if (!sameJson(orderA, orderB)) add('~', 'table', t, `: column order ${orderA.join(', ')} → ${orderB.join(', ')}`);
  }

  const on = (x: { schema: string; table: string; name: string }) => `${x.name} on ${q(x.schema, x.table)}`;
  keyed('constraint', a.constraints, b.constraints, (c) => `${c.schema}.${c.table}.${c.name}`, on, (c) => ` ${c.definition}`, (x, y) =>
    change('', x.definition, y.definition),
  );
  keyed('index', a.indexes, b.indexes, (i) => `${i.schema}.${i.name}`, (i) => q(i.schema, i.name), (i) => ` ${describeIndex(i, q)}`, (x, y) =>
    describeIndex(x, q) !== describeIndex(y, q) ? [`: ${describeIndex(x, q)} → ${describeIndex(y, q)}`] : change('', x.definition, y.definition),
  );
  keyed('sequence', a.sequences, b.sequences, (s) => `${s.schema}.${s.name}`, (s) => q(s.schema, s.name), none, (x, y) => {
    const fields = ['dataType', 'start', 'min', 'max', 'increment', 'cycle', 'cache', 'ownedBy'] as const;
    return fields.flatMap((f) => change(f, x[f] === null ? null : String(x[f]), y[f] === null ? null : String(y[f])));
  });
  keyed('view', a.views, b.views, (v) => `${v.schema}.${v.name}`, (v) => q(v.schema, v.name), (v) => (v.kind === 'view' ? '' : ' (materialized)'), (x, y) => [
    ...(x.definition !== y.definition ? [': definition changed'] : []),
    ...change('', x.kind, y.kind),
    ...change('options', fmtList(x.options), fmtList(y.options)),
  ]);
  keyed('function', a.functions, b.functions, (f) => `${f.schema}.${f.name}(${f.args})`, (f) => `${q(f.schema, f.name)}(${f.args})`, (f) => (f.kind === 'function' ? '' : ` (${f.kind})`), (x, y) =>
    x.definition !== y.definition || x.kind !== y.kind ? [': definition changed'] : [],
  );
  keyed('trigger', a.triggers, b.triggers, (t) => `${t.schema}.${t.table}.${t.name}`, on, none, (x, y) => [
    ...(x.definition !== y.definition ? [': definition changed'] : []),
    ...change('enabled', x.enabled, y.enabled),
  ]);
  keyed('policy', a.policies, b.policies, (p) => `${p.schema}.${p.table}.${p.name}`, on, none, (x, y) => [
    ...(['permissive', 'command', 'using', 'withCheck'] as const).flatMap((f) => change(f, x[f], y[f])),
    ...change('roles', fmtList(x.roles), fmtList(y.roles)),
  ]);
  keyed('type', a.types, b.types, (t) => `${t.schema}.${t.name}`, (t) => q(t.schema, t.name), (t) => ` ${t.kind} ${fmtList(t.details)}`, (x, y) =>
    change('', `${x.kind} ${fmtList(x.details)}`, `${y.kind} ${fmtList(y.details)}`),
  );
  keyed('grant', a.grants, b.grants, (g) => `${g.schema}.${g.kind}.${g.name}.${g.grantee}`, (g) => `on ${g.kind} ${q(g.schema, g.name)} to ${g.grantee}`, (g) => `: ${g.privileges.join(', ')}`, (x, y) =>
    change('', x.privileges.join(', '), y.privileges.join(', ')),
  );
  keyed('comment', a.comments, b.comments, (c) => `${c.schema}.${c.kind}.${c.name}`, (c) => `on ${c.kind} ${c.kind === 'schema' ? c.name : q(c.schema, c.name)}`, (c) => `: ${quoteText(c.comment)}`, (x, y) =>
    change('', quoteText(x.comment), quoteText(y.comment)),
  );
  return out;
}

/** schemaChanges as lines. */
export function diffSnapshots(a: CatalogSnapshot, b: CatalogSnapshot, options: DiffOptions = {}): string[] {
  return schemaChanges(a, b, options).map((c) => c.text);
}

function describeColumn(c: ColumnInfo): string {
  let s = ` ${shortType(c.type)}`;
  if (c.notNull) s += ' not null';
  if (c.default !== null) s += ` default ${c.default}`;
  if (c.identity) s += c.identity === 'a' ? ' generated always as identity' : ' generated by default as identity';
  if (c.generated) s += ` generated always as (${c.generated}) stored`;
  return s;
}

/** `t_id on t(id)`, with unique, the method when not btree, the predicate and validity. */
function describeIndex(i: IndexInfo, q: (schema: string, name: string) => string): string {
  const using = i.method === 'btree' ? '' : ` using ${i.method}`;
  const where = i.predicate ? ` where ${i.predicate}` : '';
  return `${i.unique ? '(unique) ' : ''}on ${q(i.schema, i.table)}${using}(${i.columns.join(', ')})${where}${i.valid ? '' : ' (invalid)'}`;
}

/** The spellings people write (varchar, timestamptz) instead of format_type's long ones. */
const SHORT_TYPES: [string, string][] = [
  ['character varying', 'varchar'],
  ['timestamp with time zone', 'timestamptz'],
  ['timestamp without time zone', 'timestamp'],
  ['time with time zone', 'timetz'],
  ['time without time zone', 'time'],
  ['integer', 'int'],
  ['boolean', 'bool'],
  ['character', 'char'],
  ['double precision', 'float8'],
];

export function shortType(type: string): string {
  for (const [long, short] of SHORT_TYPES) {
    if (type === long || type.startsWith(`${long}(`) || type.startsWith(`${long}[`)) return short + type.slice(long.length);
    // timestamp(3) with time zone
    const m = long.split(' ');
    if (m.length > 1 && type.startsWith(`${m[0]}(`) && type.endsWith(` ${m.slice(1).join(' ')}`)) {
      const precision = type.slice(m[0]!.length, type.indexOf(')') + 1);
      return short + precision;
    }
  }
  return type;
}

function quoteText(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Code-point order: independent of locale, so snapshots sort the same everywhere. */
function compare(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function sortBy<T>(list: T[], key: (item: T) => string[]): T[] {
  return [...list].sort((x, y) => {
    const kx = key(x);
    const ky = key(y);
    for (let i = 0; i < Math.max(kx.length, ky.length); i++) {
      const c = compare(kx[i] ?? '', ky[i] ?? '');
      if (c !== 0) return c;
    }
    return 0;
  });
}

function sameJson(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

function onOff(v: boolean): string {
  return v ? 'on' : 'off';
}

function fmtList(list: readonly string[]): string {
  return `[${list.join(', ')}]`;
}
