import type { Queryable } from '../formats/types.js';
import type { ObjectRef } from './statements.js';

/** Whether each object exists right now (unqualified names resolve through the session's search_path). */
export async function objectsExist(db: Queryable, objects: ObjectRef[]): Promise<boolean[]> {
  if (objects.length === 0) return [];
  const params: (string | null)[] = [];
  const bind = (v: string | undefined) => {
    params.push(v ?? null);
    return `$${params.length}::text`;
  };
  const checks = objects.map((o, i) => `(${existsSql(o, bind)}) AS o${i}`);
  const res = await db.query(`SELECT ${checks.join(', ')}`, params);
  const row = res.rows[0] as Record<string, boolean>;
  return objects.map((_, i) => Boolean(row[`o${i}`]));
}

function existsSql(o: ObjectRef, bind: (v: string | undefined) => string): string {
  const qualified = (s: string | undefined, n: string) => (s === undefined ? `quote_ident(${bind(n)})` : `quote_ident(${bind(s)}) || '.' || quote_ident(${bind(n)})`);
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
    case 'function':
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
  const on = o.on ? ` on ${q(o.on.schema, o.on.name)}` : '';
  return `${o.kind} ${q(o.schema, o.name)}${on}`;
}
