import type { ObjectRef, SqlStatement } from '../../db/statements.js';
import { alterCmds, relOf, strings, type Node, type RelName } from './ast.js';

/**
 * What an up does to the schema and whether its down undoes it, read from PostgreSQL's parse trees of
 * both halves. Only schema objects count (tables, columns, indexes, constraints, types, views,
 * functions, sequences, triggers, policies, schemas, extensions; renames, type and NOT NULL changes):
 * data changes cannot be compared without running them.
 */

type Kind = ObjectRef['kind'];

export interface Obj {
  kind: Kind;
  schema?: string;
  /** undefined: PostgreSQL picks the name (an unnamed CHECK, an expression index): any of that kind on `on` matches. */
  name?: string;
  /** The table a column, index, constraint, trigger or policy belongs to. */
  on?: RelName;
  /** An index's or constraint's columns: dropping one of them drops it too. */
  columns?: string[];
}

export type Change =
  | { how: 'create'; obj: Obj; stmt: SqlStatement; replace?: boolean; ifNotExists?: boolean; uses?: RelName[] }
  | { how: 'drop'; obj: Obj; stmt: SqlStatement; cascade: boolean }
  | { how: 'rename'; obj: Obj; to: string; stmt: SqlStatement }
  | { how: 'type' | 'set-not-null' | 'drop-not-null'; obj: Obj; stmt: SqlStatement };

export interface Gap {
  /** forgotten: the up creates it and the down leaves it; not-restored: the up drops or changes it and the down does not put it back; extra: the down drops what the up did not create. */
  problem: 'forgotten' | 'not-restored' | 'extra';
  change: Change;
}

/** Statements whose effects the parser cannot see (dynamic SQL): their half is not judged. */
const OPAQUE = new Set(['DoStmt', 'ExecuteStmt', 'CallStmt']);

export function isOpaque(statements: SqlStatement[]): boolean {
  return statements.some((s) => OPAQUE.has(s.kind) || (s.kind === 'SelectStmt' && selectsFunction(s.node)));
}

/** SELECT some_function(): it may create or drop anything. */
function selectsFunction(node: Node): boolean {
  return (node.targetList ?? []).some((t: Node) => t.ResTarget?.val?.FuncCall);
}

const MAX_NAME = 63;

/** PostgreSQL's own name for an unnamed index or constraint over plain columns (ChooseRelationName); else undefined. */
function defaultName(table: string, columns: (string | undefined)[], suffix: string): string | undefined {
  if (columns.length === 0 || columns.some((c) => c === undefined)) return undefined;
  const name = [table, ...columns, suffix].join('_');
  return Buffer.byteLength(name) <= MAX_NAME ? name : undefined;
}

function indexName(n: Node): string | undefined {
  if (n.idxname) return n.idxname;
  const table = n.relation?.relname as string | undefined;
  if (!table) return undefined;
  return defaultName(table, (n.indexParams ?? []).map((p: Node) => p.IndexElem?.name as string | undefined), n.primary ? 'pkey' : 'idx');
}

function constraintName(table: string, con: Node): string | undefined {
  if (con.conname) return con.conname;
  const keys = strings(con.keys ?? con.fk_attrs);
  switch (con.contype) {
    case 'CONSTR_PRIMARY':
      return `${table}_pkey`;
    case 'CONSTR_UNIQUE':
      return defaultName(table, keys, 'key');
    case 'CONSTR_FOREIGN':
      return defaultName(table, keys, 'fkey');
    case 'CONSTR_EXCLUSION':
      return undefined;
    default:
      return undefined;
  }
}

/** The columns a constraint is over: its keys, or the columns its CHECK expression reads. */
function constraintColumns(con: Node): string[] {
  const keys = strings(con.keys ?? con.fk_attrs);
  if (keys.length > 0) return keys;
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    const n = x as Node;
    const f = strings(n.ColumnRef?.fields);
    if (f.length > 0) out.push(f[f.length - 1]!);
    for (const v of Object.values(n)) walk(v);
  };
  walk(con.raw_expr);
  return out;
}

/** Relations a view's query reads (a DROP TABLE ... CASCADE drops the view with them). */
function relationsIn(node: unknown, out: RelName[] = []): RelName[] {
  if (!node || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const x of node) relationsIn(x, out);
    return out;
  }
  const n = node as Node;
  if (n.RangeVar?.relname) out.push({ schema: n.RangeVar.schemaname, name: n.RangeVar.relname });
  for (const v of Object.values(n)) if (v && typeof v === 'object') relationsIn(v, out);
  return out;
}

const RENAMES: Record<string, Kind> = { OBJECT_TABLE: 'table', OBJECT_COLUMN: 'column', OBJECT_INDEX: 'index', OBJECT_VIEW: 'view', OBJECT_TABCONSTRAINT: 'constraint', OBJECT_TYPE: 'type', OBJECT_SEQUENCE: 'sequence' };

/** The schema changes of one statement, in order. */
export function changesOf(s: SqlStatement): Change[] {
  const n = s.node;
  const out: Change[] = [];
  switch (s.kind) {
    case 'IndexStmt': {
      const columns = (n.indexParams ?? []).map((p: Node) => p.IndexElem?.name as string | undefined).filter((c: string | undefined): c is string => c !== undefined);
      out.push({ how: 'create', obj: { kind: 'index', schema: n.relation?.schemaname, name: indexName(n), on: relOf(n.relation), columns }, stmt: s, ifNotExists: Boolean(n.if_not_exists) });
      return out;
    }
    case 'ViewStmt':
      out.push({ how: 'create', obj: { kind: 'view', ...relOf(n.view)! }, stmt: s, replace: Boolean(n.replace), uses: relationsIn(n.query) });
      return out;
    case 'CreateTableAsStmt': {
      const r = relOf(n.into?.rel);
      if (r) out.push({ how: 'create', obj: { kind: n.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table', ...r }, stmt: s, ifNotExists: Boolean(n.if_not_exists), uses: relationsIn(n.query) });
      return out;
    }
    case 'RenameStmt': {
      const kind = RENAMES[n.renameType as string];
      const r = relOf(n.relation);
      if (!kind) return out;
      if (kind === 'column' || kind === 'constraint') {
        if (r) out.push({ how: 'rename', obj: { kind, name: n.subname, on: r }, to: n.newname, stmt: s });
      } else if (r) out.push({ how: 'rename', obj: { kind, ...r }, to: n.newname, stmt: s });
      return out;
    }
    case 'AlterTableStmt': {
      const r = relOf(n.relation);
      if (!r || n.objtype === 'OBJECT_INDEX') return out;
      for (const c of alterCmds(n)) {
        if (c.subtype === 'AT_AddColumn' && c.def?.ColumnDef) out.push({ how: 'create', obj: { kind: 'column', name: c.def.ColumnDef.colname, on: r }, stmt: s, ifNotExists: Boolean(c.missing_ok) });
        else if (c.subtype === 'AT_DropColumn') out.push({ how: 'drop', obj: { kind: 'column', name: c.name, on: r }, stmt: s, cascade: c.behavior === 'DROP_CASCADE' });
        else if (c.subtype === 'AT_AddConstraint' && c.def?.Constraint) out.push({ how: 'create', obj: { kind: 'constraint', name: constraintName(r.name, c.def.Constraint), on: r, columns: constraintColumns(c.def.Constraint) }, stmt: s });
        else if (c.subtype === 'AT_DropConstraint') out.push({ how: 'drop', obj: { kind: 'constraint', name: c.name, on: r }, stmt: s, cascade: c.behavior === 'DROP_CASCADE' });
        else if (c.subtype === 'AT_AlterColumnType') out.push({ how: 'type', obj: { kind: 'column', name: c.name, on: r }, stmt: s });
        else if (c.subtype === 'AT_SetNotNull') out.push({ how: 'set-not-null', obj: { kind: 'column', name: c.name, on: r }, stmt: s });
        else if (c.subtype === 'AT_DropNotNull') out.push({ how: 'drop-not-null', obj: { kind: 'column', name: c.name, on: r }, stmt: s });
      }
      return out;
    }
    case 'DropStmt': {
      const cascade = n.behavior === 'DROP_CASCADE';
      for (const o of s.objects) {
        if (o.kind === 'column' || o.kind === 'constraint' || o.kind === 'enum value') continue;
        out.push({ how: 'drop', obj: { kind: o.kind, schema: o.schema, name: o.name, ...(o.on ? { on: o.on } : {}) }, stmt: s, cascade });
      }
      return out;
    }
    default:
      // CREATE TABLE, SEQUENCE, SCHEMA, FUNCTION, TYPE, TRIGGER, POLICY, EXTENSION: the statement splitter's objects.
      for (const o of s.objects) {
        if (o.action !== 'create' || o.kind === 'enum value') continue;
        const replace = s.kind === 'CreateFunctionStmt' ? Boolean(n.replace) : s.kind === 'CreateTrigStmt' ? Boolean(n.replace) : false;
        out.push({ how: 'create', obj: { kind: o.kind, schema: o.schema, name: o.name, ...(o.on ? { on: o.on } : {}) }, stmt: s, replace, ifNotExists: o.guarded === true && !replace });
      }
      return out;
  }
}

function sameRel(a: RelName | undefined, b: RelName | undefined): boolean {
  if (!a || !b) return false;
  return a.name === b.name && (a.schema === undefined || b.schema === undefined || a.schema === b.schema);
}

/** Whether two references can name the same object (an unqualified name matches any schema; an unknown name any of its kind on the table). */
function same(a: Obj, b: Obj): boolean {
  const kindsMatch = a.kind === b.kind || (isIndexLike(a) && isIndexLike(b)) || (isRelation(a) && isRelation(b));
  if (!kindsMatch) return false;
  if (a.on || b.on) {
    if (a.on && b.on && !sameRel(a.on, b.on)) return false;
    if (a.name === undefined || b.name === undefined) return Boolean(a.on && b.on);
  }
  if (a.name === undefined || b.name === undefined) return false;
  return a.name === b.name && (a.schema === undefined || b.schema === undefined || a.schema === b.schema);
}

/** DROP INDEX can remove the index a PRIMARY KEY/UNIQUE constraint made only through the constraint, but the name is shared. */
function isIndexLike(o: Obj): boolean {
  return o.kind === 'index' || o.kind === 'constraint';
}

/** DROP TABLE/VIEW mismatches of kind fail at run time, which the replay reports; here a name is a name. */
function isRelation(o: Obj): boolean {
  return o.kind === 'table' || o.kind === 'view' || o.kind === 'materialized view';
}

function tableOf(o: Obj): RelName | undefined {
  return o.on;
}

/**
 * The up's net changes, in order: what it creates and still leaves at its end, what it drops that it
 * did not create, and the renames, type and NOT NULL changes of objects it did not create.
 */
function netUp(changes: Change[]): Change[] {
  const out: Change[] = [];
  for (const c of changes) {
    if (c.how === 'drop') {
      const created = out.findIndex((x) => x.how === 'create' && (same(x.obj, c.obj) || sameRel(tableOf(x.obj), relOfObj(c.obj))));
      if (created >= 0) {
        // Created and dropped in the same up (with what hangs on it): nothing left to reverse.
        for (let i = out.length - 1; i >= 0; i--) {
          const x = out[i]!;
          if (x.how === 'create' && (same(x.obj, c.obj) || sameRel(tableOf(x.obj), relOfObj(c.obj)))) out.splice(i, 1);
        }
        continue;
      }
    }
    if (c.how !== 'create' && c.how !== 'drop' && createdIn(out, c.obj)) continue; // changing what it made itself
    out.push(c);
  }
  return out;
}

function relOfObj(o: Obj): RelName | undefined {
  return isRelation(o) && o.name ? { schema: o.schema, name: o.name } : undefined;
}

/** The object, or the table it belongs to, is created by one of these changes. */
function createdIn(changes: Change[], o: Obj): boolean {
  return changes.some((x) => x.how === 'create' && (same(x.obj, o) || (o.on !== undefined && isRelation(x.obj) && sameRel(relOfObj(x.obj), o.on))));
}

function schemaDroppedWithCascade(down: Change[], schema: string | undefined): boolean {
  return schema !== undefined && down.some((d) => d.how === 'drop' && d.obj.kind === 'schema' && d.obj.name === schema && d.cascade);
}

/** Whether the down undoes one create of the up. */
function undone(c: Change & { how: 'create' }, down: Change[]): boolean {
  const o = c.obj;
  if (o.kind === 'extension' && c.ifNotExists) return true; // it may have been there before: leaving it is the safe reversal
  if (down.some((d) => d.how === 'drop' && same(d.obj, o))) return true;
  if (o.on && down.some((d) => d.how === 'drop' && isRelation(d.obj) && sameRel(relOfObj(d.obj), o.on))) return true;
  // DROP COLUMN drops the indexes and constraints over that column.
  if (o.on && o.columns?.length && down.some((d) => d.how === 'drop' && d.obj.kind === 'column' && sameRel(d.obj.on, o.on) && o.columns!.includes(d.obj.name ?? ''))) return true;
  if (c.uses && down.some((d) => d.how === 'drop' && d.cascade && isRelation(d.obj) && c.uses!.some((u) => sameRel(relOfObj(d.obj), u)))) return true;
  if (schemaDroppedWithCascade(down, o.schema ?? o.on?.schema)) return true;
  // CREATE OR REPLACE in both halves: the down puts the previous definition back.
  if (c.replace && down.some((d) => d.how === 'create' && same(d.obj, o))) return true;
  return false;
}

/** Whether the down puts back what the up dropped or changed. */
function restored(c: Change, down: Change[]): boolean {
  const o = c.obj;
  switch (c.how) {
    case 'drop':
      return down.some((d) => d.how === 'create' && same(d.obj, o));
    case 'rename': {
      const renamed: Obj = { ...o, name: c.to };
      return down.some((d) => d.how === 'rename' && same(d.obj, renamed) && d.to === o.name);
    }
    case 'type':
      return down.some((d) => d.how === 'type' && same(d.obj, o)) || droppedWithTable(o, down);
    case 'set-not-null':
      return down.some((d) => d.how === 'drop-not-null' && same(d.obj, o)) || droppedWithTable(o, down);
    case 'drop-not-null':
      return down.some((d) => d.how === 'set-not-null' && same(d.obj, o)) || droppedWithTable(o, down);
    default:
      return true;
  }
}

function droppedWithTable(o: Obj, down: Change[]): boolean {
  return down.some((d) => d.how === 'drop' && ((d.obj.kind === 'column' && same(d.obj, o)) || (isRelation(d.obj) && sameRel(relOfObj(d.obj), o.on))));
}

/** Whether a drop in the down removes something the up created (or the down itself created before). */
function dropJustified(d: Change & { how: 'drop' }, up: Change[], downBefore: Change[]): boolean {
  const o = d.obj;
  if (createdIn(up, o) || createdIn(downBefore, o)) return true;
  // The up renamed it to this name: the down may drop the renamed object only to put the old one back, which "not-restored" judges.
  return up.some((u) => u.how === 'rename' && same({ ...u.obj, name: u.to }, o));
}

/** The gaps between an up and its down; [] when either half is opaque to the parser. */
export function reversalGaps(upStatements: SqlStatement[], downStatements: SqlStatement[]): Gap[] {
  if (isOpaque(upStatements) || isOpaque(downStatements)) return [];
  const up = netUp(upStatements.flatMap(changesOf));
  const down = downStatements.flatMap(changesOf);
  const gaps: Gap[] = [];
  for (const c of up) {
    if (c.how === 'create') {
      // What hangs on a table the up created goes with that table.
      if (c.obj.on && createdIn(up, { kind: 'table', name: c.obj.on.name, schema: c.obj.on.schema })) continue;
      if (!undone(c, down)) gaps.push({ problem: 'forgotten', change: c });
    } else if (!restored(c, down)) gaps.push({ problem: 'not-restored', change: c });
  }
  down.forEach((d, i) => {
    if (d.how === 'drop' && !dropJustified(d, up, down.slice(0, i))) gaps.push({ problem: 'extra', change: d });
  });
  return gaps;
}

/** "index users_email_idx on users", "column email of users", "type mood". */
export function describeObj(o: Obj): string {
  const q = (s: string | undefined, n: string) => (s ? `${s}.${n}` : n);
  const name = o.name ?? '(named by PostgreSQL)';
  if (o.kind === 'column') return `column ${name} of ${o.on ? q(o.on.schema, o.on.name) : '?'}`;
  if (o.on) return `${o.kind} ${name} on ${q(o.on.schema, o.on.name)}`;
  return `${o.kind} ${q(o.schema, name)}`;
}

/** The statement that undoes a create, for the fix. */
export function dropSql(o: Obj): string {
  const q = (s: string | undefined, n: string) => (s ? `${s}.${n}` : n);
  const name = o.name ?? '<its name>';
  const on = o.on ? q(o.on.schema, o.on.name) : '';
  switch (o.kind) {
    case 'column':
      return `ALTER TABLE ${on} DROP COLUMN IF EXISTS ${name};`;
    case 'constraint':
      return `ALTER TABLE ${on} DROP CONSTRAINT IF EXISTS ${name};`;
    case 'trigger':
    case 'policy':
      return `DROP ${o.kind.toUpperCase()} IF EXISTS ${name} ON ${on};`;
    case 'enum value':
      return '';
    default:
      return `DROP ${o.kind.toUpperCase()} IF EXISTS ${q(o.schema, name)};`;
  }
}
