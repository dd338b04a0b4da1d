import type pg from 'pg';

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

export interface SnapshotOptions {
  /** Tables left out (with their constraints, indexes, triggers, policies and owned sequences). */
  excludeTables?: string[];
}

/** Tables Ladder itself keeps in the target database. */
export const DEFAULT_EXCLUDED_TABLES: readonly string[] = ['schema_migrations', 'ladder_journal'];

type Queryable = pg.Client | pg.PoolClient;

const SYSTEM_SCHEMA_FILTER = `
  n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%'`;

/**
 * Captures the schema of the database `client` is connected to.
 * @param schemas only these schemas (default: every non-system schema)
 */
export async function catalogSnapshot(
  client: Queryable,
  schemas?: string[],
  options: SnapshotOptions = {},
): Promise<CatalogSnapshot> {
  const excluded = [...(options.excludeTables ?? DEFAULT_EXCLUDED_TABLES)];

  const schemaRows = await rows<{ name: string }>(
    client,
    `SELECT n.nspname AS name FROM pg_namespace n WHERE ${SYSTEM_SCHEMA_FILTER}`,
  );
  const schemaList = schemaRows.map((r) => r.name).filter((s) => !schemas || schemas.includes(s));

  // $1 = schemas, $2 = excluded table names (only for queries that mention tables).
  const schemaParam = [schemaList];
  const bothParams = [schemaList, excluded];
  // Objects that belong to an extension are described by the extension, not listed one by one.
  const notExtensionMember = (classid: string, oid: string) =>
    `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${classid}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

  // One query at a time: a pg.Client runs them serially anyway and warns about overlapping calls.
  const extensions = await rows<ExtensionInfo>(
    client,
    `SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version
       FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE n.nspname = ANY($1)`,
    schemaParam,
  );
  const tableRows = await rows<Omit<TableInfo, 'columns'>>(
    client,
    `SELECT n.nspname AS schema, c.relname AS name,
            CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' ELSE 'foreign table' END AS kind,
            c.relrowsecurity AS "rowSecurity", c.relforcerowsecurity AS "forceRowSecurity",
            coalesce(c.reloptions, '{}')::text[] AS options
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'f') AND n.nspname = ANY($1) AND c.relname <> ALL($2)
        AND ${notExtensionMember('pg_class', 'c.oid')}`,
    bothParams,
  );
  const columnRows = await rows<ColumnInfo & { schema: string; table: string; position: number }>(
    client,
    `SELECT n.nspname AS schema, c.relname AS table, a.attnum AS position, a.attname AS name,
            format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull",
            CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS default,
            nullif(a.attidentity, '') AS identity,
            CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid) END AS generated,
            CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation
                 THEN (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                         FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                        WHERE co.oid = a.attcollation) END AS collation
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
      WHERE c.relkind IN ('r', 'p', 'f') AND a.attnum > 0 AND NOT a.attisdropped
        AND n.nspname = ANY($1) AND c.relname <> ALL($2)`,
    bothParams,
  );
  const constraints = await rows<ConstraintInfo>(
    client,
    `SELECT n.nspname AS schema, coalesce(c.relname, t.typname) AS table, con.conname AS name,
            CASE con.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique' WHEN 'f' THEN 'foreign key'
                 WHEN 'c' THEN 'check' WHEN 'x' THEN 'exclusion' WHEN 'n' THEN 'not null'
                 WHEN 't' THEN 'trigger' ELSE con.contype::text END AS type,
            pg_get_constraintdef(con.oid, true) AS definition
       FROM pg_constraint con
       JOIN pg_namespace n ON n.oid = con.connamespace
       LEFT JOIN pg_class c ON c.oid = con.conrelid
       LEFT JOIN pg_type t ON t.oid = con.contypid
      WHERE n.nspname = ANY($1) AND (c.relname IS NULL OR c.relname <> ALL($2))
        AND (c.oid IS NOT NULL OR t.oid IS NOT NULL)
        -- NOT NULL constraints (PostgreSQL 18+) are already covered by the columns.
        AND con.contype <> 'n'`,
    bothParams,
  );
  const indexes = await rows<IndexInfo>(
    client,
    `SELECT n.nspname AS schema, t.relname AS table, i.relname AS name,
            pg_get_indexdef(i.oid) AS definition
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = i.relnamespace
      WHERE n.nspname = ANY($1) AND t.relname <> ALL($2) AND t.relkind IN ('r', 'p', 'm', 'f')
        AND ${notExtensionMember('pg_class', 't.oid')}`,
    bothParams,
  );
  const sequences = await rows<SequenceInfo>(
    client,
    `WITH owner AS (
       SELECT DISTINCT ON (d.objid) d.objid AS seq, oc.relname AS table_name,
              quote_ident(on_.nspname) || '.' || quote_ident(oc.relname) || '.' || quote_ident(oa.attname) AS column_name
         FROM pg_depend d
         JOIN pg_class oc ON oc.oid = d.refobjid
         JOIN pg_namespace on_ ON on_.oid = oc.relnamespace
         JOIN pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
        WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
          AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
        ORDER BY d.objid, oc.relname)
     SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS "dataType",
            s.seqstart::text AS start, s.seqmin::text AS min, s.seqmax::text AS max,
            s.seqincrement::text AS increment, s.seqcycle AS cycle, s.seqcache::text AS cache,
            o.column_name AS "ownedBy"
       FROM pg_sequence s
       JOIN pg_class c ON c.oid = s.seqrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN owner o ON o.seq = c.oid
      WHERE n.nspname = ANY($1)
        -- A sequence owned by an excluded table (a serial in schema_migrations, say) goes with it.
        AND (o.table_name IS NULL OR o.table_name <> ALL($2))
        AND ${notExtensionMember('pg_class', 'c.oid')}`,
    bothParams,
  );
  const views = await rows<ViewInfo>(
    client,
    `SELECT n.nspname AS schema, c.relname AS name,
            CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END AS kind,
            coalesce(c.reloptions, '{}')::text[] AS options,
            pg_get_viewdef(c.oid, true) AS definition
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1) AND c.relname <> ALL($2)
        AND ${notExtensionMember('pg_class', 'c.oid')}`,
    bothParams,
  );
  const functions = await rows<FunctionInfo>(
    client,
    `SELECT n.nspname AS schema, p.proname AS name, pg_get_function_identity_arguments(p.oid) AS args,
            CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window'
                 ELSE 'function' END AS kind,
            CASE WHEN p.prokind = 'a'
                 THEN 'aggregate returning ' || format_type(p.prorettype, NULL) || ' using '
                      || (SELECT ag.aggtransfn::regproc::text || '/' || ag.aggfinalfn::regproc::text
                            FROM pg_aggregate ag WHERE ag.aggfnoid = p.oid)
                 ELSE pg_get_functiondef(p.oid) END AS definition
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = ANY($1)
        AND ${notExtensionMember('pg_proc', 'p.oid')}`,
    schemaParam,
  );
  const triggers = await rows<TriggerInfo>(
    client,
    `SELECT n.nspname AS schema, c.relname AS table, tg.tgname AS name, tg.tgenabled::text AS enabled,
            pg_get_triggerdef(tg.oid, true) AS definition
       FROM pg_trigger tg
       JOIN pg_class c ON c.oid = tg.tgrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT tg.tgisinternal AND n.nspname = ANY($1) AND c.relname <> ALL($2)
        AND ${notExtensionMember('pg_class', 'c.oid')}`,
    bothParams,
  );
  const policies = await rows<PolicyInfo>(
    client,
    `SELECT schemaname AS schema, tablename AS table, policyname AS name, permissive,
            roles::text[] AS roles, cmd AS command, qual AS using, with_check AS "withCheck"
       FROM pg_policies
      WHERE schemaname = ANY($1) AND tablename <> ALL($2)`,
    bothParams,
  );
  const types = await rows<TypeInfo>(
    client,
    `SELECT n.nspname AS schema, t.typname AS name,
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
      WHERE n.nspname = ANY($1)
        AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND c.relkind = 'c'))
        AND ${notExtensionMember('pg_type', 't.oid')}`,
    schemaParam,
  );

  const columnsByTable = new Map<string, ColumnInfo[]>();
  for (const { schema, table, position: _position, ...column } of columnRows.sort((a, b) => a.position - b.position)) {
    const key = `${schema}.${table}`;
    const list = columnsByTable.get(key) ?? [];
    list.push(column);
    columnsByTable.set(key, list);
  }
  const tables: TableInfo[] = tableRows.map((t) => ({
    ...t,
    columns: columnsByTable.get(`${t.schema}.${t.name}`) ?? [],
  }));

  return {
    schemas: [...schemaList].sort(compare),
    extensions: sortBy(extensions, (e) => [e.name]),
    tables: sortBy(tables, (t) => [t.schema, t.name]),
    constraints: sortBy(constraints, (c) => [c.schema, c.table, c.name]),
    indexes: sortBy(indexes, (i) => [i.schema, i.name]),
    sequences: sortBy(sequences, (s) => [s.schema, s.name]),
    views: sortBy(views, (v) => [v.schema, v.name]),
    functions: sortBy(functions, (f) => [f.schema, f.name, f.args]),
    triggers: sortBy(triggers, (t) => [t.schema, t.table, t.name]),
    policies: sortBy(
      policies.map((p) => ({ ...p, roles: [...p.roles].sort(compare) })),
      (p) => [p.schema, p.table, p.name],
    ),
    types: sortBy(types, (t) => [t.schema, t.name]),
  };
}

/**
 * Human-readable differences from `a` to `b`, one line each:
 * `+ table s.t` (only in b), `- index s.i` (only in a), `~ column s.t.c: text -> citext` (changed).
 * An empty list means the two snapshots describe the same schema.
 */
export function diffSnapshots(a: CatalogSnapshot, b: CatalogSnapshot): string[] {
  const out: string[] = [];

  diffKeyed(out, 'schema', a.schemas, b.schemas, (s) => s, () => []);
  diffKeyed(out, 'extension', a.extensions, b.extensions, (e) => e.name, (x, y) =>
    x.version !== y.version || x.schema !== y.schema ? [`${x.schema} ${x.version} -> ${y.schema} ${y.version}`] : [],
  );

  const tableKey = (t: TableInfo) => `${t.schema}.${t.name}`;
  diffKeyed(out, 'table', a.tables, b.tables, tableKey, (x, y) => {
    const changes: string[] = [];
    if (x.kind !== y.kind) changes.push(`${x.kind} -> ${y.kind}`);
    if (x.rowSecurity !== y.rowSecurity) changes.push(`row level security ${onOff(x.rowSecurity)} -> ${onOff(y.rowSecurity)}`);
    if (x.forceRowSecurity !== y.forceRowSecurity)
      changes.push(`force row level security ${onOff(x.forceRowSecurity)} -> ${onOff(y.forceRowSecurity)}`);
    if (!sameJson(x.options, y.options)) changes.push(`options ${fmtList(x.options)} -> ${fmtList(y.options)}`);
    return changes;
  });
  // Columns of tables present on both sides (an added or dropped table is one line above).
  const bTables = new Map(b.tables.map((t) => [tableKey(t), t]));
  for (const ta of a.tables) {
    const tb = bTables.get(tableKey(ta));
    if (!tb) continue;
    diffKeyed(out, 'column', ta.columns, tb.columns, (c) => `${tableKey(ta)}.${c.name}`, (x, y) => {
      const changes: string[] = [];
      if (x.type !== y.type) changes.push(`${x.type} -> ${y.type}`);
      if (x.notNull !== y.notNull) changes.push(`${x.notNull ? 'not null' : 'null'} -> ${y.notNull ? 'not null' : 'null'}`);
      if (x.default !== y.default) changes.push(`default ${x.default ?? '(none)'} -> ${y.default ?? '(none)'}`);
      if (x.identity !== y.identity) changes.push(`identity ${x.identity ?? '(none)'} -> ${y.identity ?? '(none)'}`);
      if (x.generated !== y.generated) changes.push(`generated ${x.generated ?? '(none)'} -> ${y.generated ?? '(none)'}`);
      if (x.collation !== y.collation) changes.push(`collation ${x.collation ?? '(default)'} -> ${y.collation ?? '(default)'}`);
      return changes;
    });
    const orderA = ta.columns.map((c) => c.name).filter((n) => tb.columns.some((c) => c.name === n));
    const orderB = tb.columns.map((c) => c.name).filter((n) => ta.columns.some((c) => c.name === n));
    if (!sameJson(orderA, orderB)) out.push(`~ table ${tableKey(ta)}: column order ${orderA.join(', ')} -> ${orderB.join(', ')}`);
  }

  const byDefinition = <T extends { definition: string }>(x: T, y: T) =>
    x.definition !== y.definition ? [`${x.definition} -> ${y.definition}`] : [];
  diffKeyed(out, 'constraint', a.constraints, b.constraints, (c) => `${c.schema}.${c.table}.${c.name}`, byDefinition);
  diffKeyed(out, 'index', a.indexes, b.indexes, (i) => `${i.schema}.${i.name}`, byDefinition);
  diffKeyed(out, 'sequence', a.sequences, b.sequences, (s) => `${s.schema}.${s.name}`, (x, y) => {
    const fields = ['dataType', 'start', 'min', 'max', 'increment', 'cycle', 'cache', 'ownedBy'] as const;
    return fields.filter((f) => x[f] !== y[f]).map((f) => `${f} ${String(x[f])} -> ${String(y[f])}`);
  });
  diffKeyed(out, 'view', a.views, b.views, (v) => `${v.schema}.${v.name}`, (x, y) => {
    const changes = byDefinition(x, y);
    if (x.kind !== y.kind) changes.push(`${x.kind} -> ${y.kind}`);
    if (!sameJson(x.options, y.options)) changes.push(`options ${fmtList(x.options)} -> ${fmtList(y.options)}`);
    return changes;
  });
  diffKeyed(out, 'function', a.functions, b.functions, (f) => `${f.schema}.${f.name}(${f.args})`, (x, y) =>
    x.definition !== y.definition || x.kind !== y.kind ? ['definition changed'] : [],
  );
  diffKeyed(out, 'trigger', a.triggers, b.triggers, (t) => `${t.schema}.${t.table}.${t.name}`, (x, y) => {
    const changes = byDefinition(x, y);
    if (x.enabled !== y.enabled) changes.push(`enabled ${x.enabled} -> ${y.enabled}`);
    return changes;
  });
  diffKeyed(out, 'policy', a.policies, b.policies, (p) => `${p.schema}.${p.table}.${p.name}`, (x, y) => {
    const fields = ['permissive', 'command', 'using', 'withCheck'] as const;
    const changes = fields.filter((f) => x[f] !== y[f]).map((f) => `${f} ${x[f] ?? '(none)'} -> ${y[f] ?? '(none)'}`);
    if (!sameJson(x.roles, y.roles)) changes.push(`roles ${fmtList(x.roles)} -> ${fmtList(y.roles)}`);
    return changes;
  });
  diffKeyed(out, 'type', a.types, b.types, (t) => `${t.schema}.${t.name}`, (x, y) =>
    x.kind !== y.kind || !sameJson(x.details, y.details)
      ? [`${x.kind} ${fmtList(x.details)} -> ${y.kind} ${fmtList(y.details)}`]
      : [],
  );
  return out;
}

function diffKeyed<T>(
  out: string[],
  label: string,
  a: readonly T[],
  b: readonly T[],
  key: (item: T) => string,
  changes: (x: T, y: T) => string[],
): void {
  const mapA = new Map(a.map((item) => [key(item), item]));
  const mapB = new Map(b.map((item) => [key(item), item]));
  for (const [k, x] of mapA) {
    const y = mapB.get(k);
    if (y === undefined) out.push(`- ${label} ${k}`);
    else for (const change of changes(x, y)) out.push(`~ ${label} ${k}: ${change}`);
  }
  for (const k of mapB.keys()) if (!mapA.has(k)) out.push(`+ ${label} ${k}`);
}

async function rows<T>(client: Queryable, sql: string, params: unknown[] = []): Promise<T[]> {
  const result = await client.query(sql, params);
  return result.rows as T[];
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
