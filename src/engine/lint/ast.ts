import type { ColumnType } from './types.js';

/** A libpg-query JSON node: untyped, read field by field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Node = Record<string, any>;

export interface RelName {
  schema?: string;
  name: string;
}

export function relOf(rangeVar: Node | undefined): RelName | undefined {
  if (!rangeVar?.relname) return undefined;
  return { schema: rangeVar.schemaname, name: rangeVar.relname };
}

export function relText(r: RelName): string {
  return r.schema ? `${r.schema}.${r.name}` : r.name;
}

export function strings(list: Node[] | undefined): string[] {
  return (list ?? []).map((x) => x.String?.sval as string).filter((x) => x !== undefined);
}

/** ALTER TABLE's subcommands. */
export function alterCmds(node: Node): Node[] {
  return (node.cmds ?? []).map((c: Node) => c.AlterTableCmd).filter(Boolean);
}

export function constraintsOf(columnDef: Node): Node[] {
  return (columnDef.constraints ?? []).map((c: Node) => c.Constraint).filter(Boolean);
}

/** A TypeName node as a comparable type: pg_catalog.varchar(20) -> { type: 'varchar', mods: [20] }. */
export function typeOf(typeName: Node | undefined): ColumnType | undefined {
  if (!typeName) return undefined;
  const names = strings(typeName.names);
  const type = names[names.length - 1];
  if (!type) return undefined;
  const mods = (typeName.typmods ?? []).map((m: Node) => m.A_Const?.ival?.ival ?? (m.A_Const?.ival ? 0 : NaN));
  return { type: canonicalType(type), mods, array: Array.isArray(typeName.arrayBounds) && typeName.arrayBounds.length > 0 };
}

const ALIASES: Record<string, string> = {
  'character varying': 'varchar',
  character: 'bpchar',
  char: 'bpchar',
  integer: 'int4',
  int: 'int4',
  smallint: 'int2',
  bigint: 'int8',
  decimal: 'numeric',
  'timestamp without time zone': 'timestamp',
  'timestamp with time zone': 'timestamptz',
  'bit varying': 'varbit',
  serial: 'int4',
  bigserial: 'int8',
  smallserial: 'int2',
};

export function canonicalType(name: string): string {
  return ALIASES[name] ?? name;
}

/** SERIAL types add a nextval() default: a volatile default. */
export function isSerial(typeName: Node | undefined): boolean {
  const names = strings(typeName?.names);
  return names.length === 1 && ['serial', 'bigserial', 'smallserial', 'serial4', 'serial8', 'serial2'].includes(names[0]!);
}

/** Every function an expression calls, by its last name part (lower case, as PostgreSQL folds it). */
export function functionsCalled(expr: Node | undefined, out: string[] = []): string[] {
  if (expr === null || typeof expr !== 'object') return out;
  if (Array.isArray(expr)) {
    for (const e of expr) functionsCalled(e, out);
    return out;
  }
  if (expr.FuncCall) {
    const names = strings(expr.FuncCall.funcname);
    if (names.length > 0) out.push(names[names.length - 1]!);
  }
  if (expr.SQLValueFunction) out.push(String(expr.SQLValueFunction.op ?? 'sqlvaluefunction'));
  for (const v of Object.values(expr)) if (v && typeof v === 'object') functionsCalled(v as Node, out);
  return out;
}

/** The column a CHECK expression proves not null: CHECK (col IS NOT NULL). */
export function notNullCheckColumn(expr: Node | undefined): string | undefined {
  const t = expr?.NullTest;
  if (!t || t.nulltesttype !== 'IS_NOT_NULL') return undefined;
  const fields = strings(t.arg?.ColumnRef?.fields);
  return fields.length === 1 ? fields[0] : undefined;
}

/** One line of a statement for messages: whitespace collapsed, long ones cut. */
export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
