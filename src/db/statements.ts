import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';

/** A database object a statement creates, drops or alters, for checking the catalog afterwards. */
export interface ObjectRef {
  kind: 'table' | 'view' | 'materialized view' | 'index' | 'sequence' | 'schema' | 'function' | 'type' | 'trigger' | 'policy' | 'extension' | 'column' | 'constraint' | 'enum value';
  /** Schema-qualified when the statement qualifies it; otherwise resolved through search_path. */
  schema?: string;
  name: string;
  /** For triggers, policies, columns and constraints: the table they belong to; for enum values, the type. */
  on?: { schema?: string; name: string };
  /** Functions: the argument types that identify it (IN, INOUT and VARIADIC), when the statement gives them. */
  args?: string[];
  action: 'create' | 'drop' | 'alter';
  /** IF NOT EXISTS / OR REPLACE / IF EXISTS: the object being there (or gone) afterwards does not show this statement did it. */
  guarded?: boolean;
}

export type TransactionControl = 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback-to' | 'prepare';

export interface SqlStatement {
  index: number;
  /** The statement's text, without the comments and blank lines before it. */
  text: string;
  /** UTF-16 offsets into the file (start of text, end before the semicolon). */
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  /** The parse-tree node type, e.g. CreateStmt, DoStmt. */
  kind: string;
  transaction?: TransactionControl;
  /** Cannot run inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...). */
  nonTransactional: boolean;
  objects: ObjectRef[];
  /** DROP ... CASCADE (a dependency error, 2BP01, cannot come from it). */
  cascade?: boolean;
  /** The statement's parse tree (libpg-query's JSON), for rules that read it (lint). */
  node: Node;
}

export type SplitResult =
  | { ok: true; statements: SqlStatement[] }
  | { ok: false; message: string; /** 1-based character position of the syntax error */ position?: number };

// libpg-query's AST is untyped JSON; rules read it field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = Record<string, any>;
export interface PgQuery {
  loadModule(): Promise<void>;
  parseSync(sql: string): { stmts?: { stmt: Node; stmt_location?: number; stmt_len?: number }[] };
}

let parser: Promise<PgQuery> | undefined;

/** The real PostgreSQL parser (libpg-query, WebAssembly), loaded on first use (call early to overlap the load). */
export function loadParser(): Promise<PgQuery> {
  parser ??= (async () => {
    // V8 compiles WebAssembly with its baseline compiler (Liftoff) and then again, in the background,
    // with its optimising one: for a CLI that parses a few files and exits, that second compile of
    // libpg-query's ~1 MB module cost twice the CPU of everything else (0.71 s vs 0.24 s CPU to load it
    // and parse 1,000 files). Set before the module is compiled; it affects only WebAssembly.
    setFlagsFromString('--liftoff-only');
    // And compiled whole while the module loads, off the main thread, rather than function by function
    // on the first parse (~45 ms on these machines, on the main thread): loaded early, during the wait
    // for the server (warmParser), the compile costs the command nothing.
    setFlagsFromString('--no-wasm-lazy-compilation');
    const mod = createRequire(import.meta.url)('libpg-query') as PgQuery;
    await mod.loadModule();
    return mod;
  })();
  return parser;
}

/**
 * The shapes of texts parsed lately (up to this many characters of text): a plan's lint review parses
 * each file before the run, and the run needs its shape. Only the shape is kept, not the parse tree:
 * a thousand trees kept alive were copied by every young-generation collection of the review.
 */
const SHAPE_CACHE_CHARS = 4 * 1024 * 1024;
const shapes = new Map<string, FileShape>();
let shapeChars = 0;

function keepShape(sql: string, shape: FileShape): void {
  if (sql.length > SHAPE_CACHE_CHARS || shapes.has(sql)) return;
  for (const [old] of shapes) {
    if (shapeChars + sql.length <= SHAPE_CACHE_CHARS) break;
    shapes.delete(old);
    shapeChars -= old.length;
  }
  shapes.set(sql, shape);
  shapeChars += sql.length;
}

/**
 * Starts loading the parser for a command that will need it, once the current wait for I/O begins
 * (the require itself is synchronous: called before connecting, it runs while the server answers).
 */
export function warmParser(): void {
  setImmediate(() => void loadParser().catch(() => undefined));
}

/** Splits a migration file into statements with PostgreSQL's own grammar (quotes, $$ bodies, comments). */
export async function splitStatements(sql: string): Promise<SplitResult> {
  const pg = await loadParser();
  let tree;
  try {
    tree = pg.parseSync(sql);
  } catch (err) {
    const e = err as { message?: string; sqlDetails?: { cursorPosition?: number } };
    // cursorPosition is a 0-based character offset; Ladder speaks PostgreSQL's 1-based positions.
    const at = e.sqlDetails?.cursorPosition;
    keepShape(sql, { kind: 'unparsed' });
    return { ok: false, message: e.message ?? String(err), position: at === undefined ? undefined : at + 1 };
  }
  keepShape(sql, shapeOf(tree.stmts ?? []));
  const bytes = Buffer.from(sql, 'utf8');
  const toIndex = byteToIndex(bytes);
  const statements: SqlStatement[] = [];
  for (const raw of tree.stmts ?? []) {
    const fromByte = raw.stmt_location ?? 0;
    const toByte = raw.stmt_len ? fromByte + raw.stmt_len : bytes.length;
    const rawStart = toIndex(fromByte);
    const end = toIndex(toByte);
    const start = skipLeadingNoise(sql, rawStart, end);
    const kind = Object.keys(raw.stmt)[0] ?? 'Unknown';
    const node = raw.stmt[kind] as Node;
    statements.push({
      index: statements.length,
      text: sql.slice(start, end).trimEnd(),
      start,
      end,
      startLine: lineAt(sql, start),
      endLine: lineAt(sql, Math.max(start, end - 1)),
      kind,
      transaction: transactionControl(kind, node),
      nonTransactional: isNonTransactional(kind, node),
      objects: objectsOf(kind, node),
      ...(node?.behavior === 'DROP_CASCADE' ? { cascade: true } : {}),
      node,
    });
  }
  return { ok: true, statements };
}

/** The statement a 1-based character position falls in (PostgreSQL's error position). */
export function statementAt(statements: SqlStatement[], sql: string, position: number): SqlStatement | undefined {
  return statementAtIndex(statements, charToIndex(sql, position - 1));
}

/** The statement whose stretch of the file (from the end of the previous one) holds a UTF-16 index. */
export function statementAtIndex(statements: SqlStatement[], index: number): SqlStatement | undefined {
  for (let i = statements.length - 1; i >= 0; i--) if (index >= (i === 0 ? 0 : statements[i - 1]!.end)) return statements[i];
  return undefined;
}

function transactionControl(kind: string, node: Node): TransactionControl | undefined {
  if (kind !== 'TransactionStmt') return undefined;
  switch (node.kind) {
    case 'TRANS_STMT_BEGIN':
    case 'TRANS_STMT_START':
      return 'begin';
    case 'TRANS_STMT_COMMIT':
      return 'commit';
    case 'TRANS_STMT_ROLLBACK':
      return 'rollback';
    case 'TRANS_STMT_SAVEPOINT':
      return 'savepoint';
    case 'TRANS_STMT_RELEASE':
      return 'release';
    case 'TRANS_STMT_ROLLBACK_TO':
      return 'rollback-to';
    default:
      return 'prepare';
  }
}

function isNonTransactional(kind: string, node: Node): boolean {
  switch (kind) {
    case 'IndexStmt':
    case 'DropStmt':
      return Boolean(node.concurrent);
    case 'ReindexStmt':
      return (node.params ?? []).some((p: Node) => p.DefElem?.defname === 'concurrently');
    case 'VacuumStmt':
      return Boolean(node.is_vacuumcmd); // ANALYZE alone runs in a transaction block
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'AlterSystemStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'CreateSubscriptionStmt':
      return true;
    case 'AlterTableStmt':
      return (node.cmds ?? []).some((c: Node) => c.AlterTableCmd?.subtype === 'AT_DetachPartition' && c.AlterTableCmd?.def?.PartitionCmd?.concurrent);
    default:
      return false;
  }
}

const DROP_KINDS: Record<string, ObjectRef['kind']> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_INDEX: 'index',
  OBJECT_SEQUENCE: 'sequence',
  OBJECT_SCHEMA: 'schema',
  OBJECT_FUNCTION: 'function',
  OBJECT_PROCEDURE: 'function',
  OBJECT_TYPE: 'type',
  OBJECT_DOMAIN: 'type',
  OBJECT_TRIGGER: 'trigger',
  OBJECT_POLICY: 'policy',
  OBJECT_EXTENSION: 'extension',
};

function objectsOf(kind: string, n: Node): ObjectRef[] {
  const rel = (r: Node | undefined) => (r ? { schema: r.schemaname as string | undefined, name: r.relname as string } : undefined);
  const qualified = (names: Node[] | undefined) => {
    const parts = (names ?? []).map((x) => x.String?.sval as string).filter(Boolean);
    return parts.length > 1 ? { schema: parts[parts.length - 2], name: parts[parts.length - 1]! } : { name: parts[0] ?? '?' };
  };
  switch (kind) {
    case 'CreateStmt':
      return [{ kind: 'table', ...rel(n.relation)!, action: 'create', ...guard(n.if_not_exists) }];
    case 'CreateTableAsStmt': {
      const r = rel(n.into?.rel);
      return r ? [{ kind: n.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : 'table', ...r, action: 'create' }] : [];
    }
    case 'ViewStmt':
      return [{ kind: 'view', ...rel(n.view)!, action: 'create' }];
    case 'IndexStmt':
      return n.idxname ? [{ kind: 'index', schema: n.relation?.schemaname, name: n.idxname, action: 'create', ...guard(n.if_not_exists) }] : [];
    case 'CreateSeqStmt':
      return [{ kind: 'sequence', ...rel(n.sequence)!, action: 'create' }];
    case 'CreateSchemaStmt':
      return [{ kind: 'schema', name: n.schemaname, action: 'create' }];
    case 'CreateFunctionStmt':
      return [{ kind: 'function', ...qualified(n.funcname), args: signature(n.parameters), action: 'create', ...guard(n.replace) }];
    case 'AlterEnumStmt':
      return n.newVal && !n.oldVal ? [{ kind: 'enum value', name: n.newVal, on: qualified(n.typeName), action: 'create', ...guard(n.skipIfNewValExists) }] : [];
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
    case 'CreateDomainStmt': {
      const names = n.domainname ?? n.typeName ?? (n.typevar ? [{ String: { sval: n.typevar.schemaname } }, { String: { sval: n.typevar.relname } }].filter((x) => x.String.sval) : []);
      return [{ kind: 'type', ...qualified(names), action: 'create' }];
    }
    case 'CreateTrigStmt':
      return [{ kind: 'trigger', name: n.trigname, on: rel(n.relation), action: 'create' }];
    case 'CreatePolicyStmt':
      return [{ kind: 'policy', name: n.policy_name, on: rel(n.table), action: 'create' }];
    case 'CreateExtensionStmt':
      return [{ kind: 'extension', name: n.extname, action: 'create', ...guard(n.if_not_exists) }];
    case 'AlterTableStmt': {
      const r = rel(n.relation);
      if (!r) return [];
      const out: ObjectRef[] = [{ kind: n.objtype === 'OBJECT_INDEX' ? 'index' : 'table', ...r, action: 'alter' }];
      for (const c of n.cmds ?? []) {
        const cmd = c.AlterTableCmd as Node | undefined;
        if (!cmd) continue;
        if (cmd.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) out.push({ kind: 'column', name: cmd.def.ColumnDef.colname, on: r, action: 'create', ...guard(cmd.missing_ok) });
        else if (cmd.subtype === 'AT_DropColumn') out.push({ kind: 'column', name: cmd.name, on: r, action: 'drop', ...guard(cmd.missing_ok) });
        else if (cmd.subtype === 'AT_AddConstraint' && cmd.def?.Constraint?.conname) out.push({ kind: 'constraint', name: cmd.def.Constraint.conname, on: r, action: 'create' });
        else if (cmd.subtype === 'AT_DropConstraint') out.push({ kind: 'constraint', name: cmd.name, on: r, action: 'drop', ...guard(cmd.missing_ok) });
      }
      return out;
    }
    case 'DropStmt': {
      const k = DROP_KINDS[n.removeType as string];
      if (!k) return [];
      const g = guard(n.missing_ok);
      return (n.objects ?? []).map((o: Node): ObjectRef => {
        if (o.String) return { kind: k, name: o.String.sval, action: 'drop', ...g };
        if (o.TypeName) return { kind: k, ...qualified(o.TypeName.names), action: 'drop', ...g };
        if (o.ObjectWithArgs)
          return { kind: k, ...qualified(o.ObjectWithArgs.objname), ...(o.ObjectWithArgs.args_unspecified ? {} : { args: (o.ObjectWithArgs.objargs ?? []).map((t: Node) => typeText(t.TypeName)) }), action: 'drop', ...g };
        const items: Node[] = o.List?.items ?? [];
        if (k === 'trigger' || k === 'policy') {
          const parts = items.map((x) => x.String?.sval as string);
          const name = parts.pop()!;
          return { kind: k, name, on: parts.length > 1 ? { schema: parts[0], name: parts[1]! } : { name: parts[0] ?? '?' }, action: 'drop', ...g };
        }
        return { kind: k, ...qualified(items), action: 'drop', ...g };
      });
    }
    default:
      return [];
  }
}

function guard(flag: unknown): { guarded?: true } {
  return flag ? { guarded: true } : {};
}

/** The types that identify a function: its IN, INOUT and VARIADIC parameters. */
function signature(params: Node[] | undefined): string[] {
  return (params ?? [])
    .map((p) => p.FunctionParameter as Node)
    .filter((p) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
    .map((p) => typeText(p.argType));
}

/** A TypeName as to_regprocedure reads it: qualified name, [] per array bound. */
function typeText(t: Node | undefined): string {
  if (!t) return '?';
  const names = (t.names ?? []).map((x: Node) => x.String?.sval as string).filter(Boolean);
  const base = names.length === 2 && names[0] === 'pg_catalog' ? names[1] : names.map((x: string) => (/^[a-z_][a-z0-9_]*$/.test(x) ? x : `"${x.replace(/"/g, '""')}"`)).join('.');
  return base + '[]'.repeat((t.arrayBounds ?? []).length) + (t.setof ? '' : '');
}

/** Maps UTF-8 byte offsets (libpg-query's) to UTF-16 string indices, for increasing offsets in one pass. */
function byteToIndex(bytes: Buffer): (byte: number) => number {
  let lastByte = 0;
  let lastIndex = 0;
  return (byte: number) => {
    if (byte < lastByte) {
      lastByte = 0;
      lastIndex = 0;
    }
    lastIndex += bytes.subarray(lastByte, byte).toString('utf8').length;
    lastByte = byte;
    return lastIndex;
  };
}

function charToIndex(sql: string, chars: number): number {
  let i = 0;
  for (let c = 0; c < chars && i < sql.length; c++) {
    const code = sql.charCodeAt(i);
    i += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return i;
}

function skipLeadingNoise(sql: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    if (/\s/.test(sql[i]!)) i++;
    else if (sql.startsWith('--', i)) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? to : nl + 1;
    } else if (sql.startsWith('/*', i)) {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? to : close + 2;
    } else break;
  }
  return Math.min(i, to);
}

function lineAt(sql: string, index: number): number {
  let line = 1;
  for (let i = sql.indexOf('\n'); i >= 0 && i < index; i = sql.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * How a file behaves as one simple query, which decides what Ladder may send with it:
 * - `alone`: a single statement that cannot run in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM):
 *   any statement added to the query would make it fail, so it is sent by itself;
 * - `unparsed`: PostgreSQL's parser rejects it (or it is empty of statements): sent by itself, exactly as it is;
 * - otherwise the file can be followed by more statements in the same query. `lastTx` says which
 *   transaction such statements join: `implicit` (the file has no transaction control, or implicit
 *   statements follow its last COMMIT/ROLLBACK: they share the file's last transaction), `open` (the
 *   file ends inside its own BEGIN: they join it, and a COMMIT must follow, as golang-migrate's next
 *   write commits it), or `closed` (the file ends with COMMIT/ROLLBACK: they form a transaction of their own).
 *   `resetsSession`: the file runs DEALLOCATE or DISCARD, which drop the session's prepared statements.
 */
export type FileShape =
  | { kind: 'alone' | 'unparsed' }
  | { kind: 'joinable'; lastTx: 'implicit' | 'open' | 'closed'; transactionControl: boolean; resetsSession?: true };

export async function fileShape(sql: string): Promise<FileShape> {
  const kept = shapes.get(sql);
  if (kept) return kept;
  const pg = await loadParser();
  let stmts: { stmt: Node }[];
  try {
    stmts = pg.parseSync(sql).stmts ?? [];
  } catch {
    return { kind: 'unparsed' };
  }
  return shapeOf(stmts);
}

function shapeOf(stmts: { stmt: Node }[]): FileShape {
  if (stmts.length === 0) return { kind: 'unparsed' };
  const first = stmts[0]!.stmt;
  const firstKind = Object.keys(first)[0]!;
  if (stmts.length === 1 && isNonTransactional(firstKind, first[firstKind] as Node)) return { kind: 'alone' };
  let open = false;
  let control = false;
  let lastWasEnd = false;
  let resets = false;
  for (const { stmt } of stmts) {
    const kind = Object.keys(stmt)[0]!;
    if (kind === 'DeallocateStmt' || kind === 'DiscardStmt') resets = true;
    const t = transactionControl(kind, stmt[kind] as Node);
    lastWasEnd = false;
    if (t === 'begin') {
      open = true;
      control = true;
    } else if (t === 'commit' || t === 'rollback' || t === 'prepare') {
      open = false;
      control = true;
      lastWasEnd = true;
    } else if (t) control = true;
  }
  return { kind: 'joinable', lastTx: open ? 'open' : lastWasEnd ? 'closed' : 'implicit', transactionControl: control, ...(resets ? { resetsSession: true as const } : {}) };
}
