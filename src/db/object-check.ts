import type { Queryable } from './queryable.js';
import type { ObjectRef } from './statements.js';

export interface ObjectNow {
  exists: boolean;
  /** Indexes: pg_index.indisvalid (false: a CREATE INDEX CONCURRENTLY that did not finish). */
  valid?: boolean;
}

/** Whether each object exists right now, and for an index whether it is valid; one query for all. */
export async function objectStates(db: Queryable, objects: ObjectRef[]): Promise<ObjectNow[]> {
  if (objects.length === 0) return [];
  const params: (string | null)[] = [];
  const bind = (v: string | undefined) => {
    params.push(v ?? null);
    return `$${params.length}::text`;
  };
  const checks = objects.map((o, i) => {
    const exists = `(${existsSql(o, bind)}) AS o${i}`;
    if (o.kind !== 'index') return exists;
    const name = o.schema === undefined ? `quote_ident(${bind(o.name)})` : `quote_ident(${bind(o.schema)}) || '.' || quote_ident(${bind(o.name)})`;
    return `${exists}, (SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass(${name})) AS v${i}`;
  });
  const res = await db.query(`SELECT ${checks.join(', ')}`, params);
  const row = res.rows[0] as Record<string, boolean | null>;
  return objects.map((o, i) => (o.kind === 'index' && row[`o${i}`] ? { exists: true, valid: Boolean(row[`v${i}`]) } : { exists: Boolean(row[`o${i}`]) }));
}

function existsSql(o: ObjectRef, bind: (v: string | undefined) => string): string {
  const qualified = (s: string | undefined, n: string) => (s === undefined ? `quote_ident(${bind(n)})` : `quote_ident(${bind(s)}) || '.' || quote_ident(${bind(n)})`);
  const table = () => `to_regclass(${qualified(o.on?.schema, o.on?.name ?? '')})`;
  switch (o.kind) {
    case 'table':
    case 'view':
    case 'materialized view':
    case 'index':
    case 'sequence':
      return `to_regclass(${qualified(o.schema, o.name)}) IS NOT NULL`;
    case 'schema':
      return `EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = ${bind(o.name)})`;
    case 'extension':
      return `EXISTS (SELECT 1 FROM pg_extension WHERE extname = ${bind(o.name)})`;
    case 'type':
      return `to_regtype(${qualified(o.schema, o.name)}) IS NOT NULL`;
    case 'column':
      return `EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ${table()} AND attname = ${bind(o.name)} AND attnum > 0 AND NOT attisdropped)`;
    case 'constraint':
      return `EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = ${table()} AND conname = ${bind(o.name)})`;
    case 'enum value':
      return `EXISTS (SELECT 1 FROM pg_enum WHERE enumtypid = to_regtype(${qualified(o.on?.schema, o.on?.name ?? '')}) AND enumlabel = ${bind(o.name)})`;
    case 'function':
      // With its argument types: that exact function (to_regprocedure resolves the type names); else any of the name.
      if (o.args) return `to_regprocedure(${qualified(o.schema, o.name)} || ${bind(`(${o.args.join(', ')})`)}) IS NOT NULL`;
      return o.schema === undefined
        ? `EXISTS (SELECT 1 FROM pg_proc p WHERE p.proname = ${bind(o.name)} AND pg_function_is_visible(p.oid))`
        : `EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname = ${bind(o.name)} AND n.nspname = ${bind(o.schema)})`;
    case 'trigger':
      return `EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = ${bind(o.name)} AND tgrelid = to_regclass(${qualified(o.on?.schema, o.on?.name ?? '')}))`;
    case 'policy':
      return `EXISTS (SELECT 1 FROM pg_policy WHERE polname = ${bind(o.name)} AND polrelid = to_regclass(${qualified(o.on?.schema, o.on?.name ?? '')}))`;
  }
}

export function describeObject(o: ObjectRef): string {
  const q = (s: string | undefined, n: string) => (s ? `${s}.${n}` : n);
  const on = o.on ? ` ${o.kind === 'enum value' ? 'of' : 'on'} ${q(o.on.schema, o.on.name)}` : '';
  const args = o.args ? `(${o.args.join(', ')})` : '';
  return `${o.kind} ${q(o.schema, o.name)}${args}${on}`;
}
