import { loadParser } from './statements.js';

type Node = Record<string, unknown>;

// Keys whose string value names a relation, index, constraint, trigger, policy, extension or schema.
const NAME_KEYS = new Set(['relname', 'idxname', 'conname', 'trigname', 'policy_name', 'extname', 'schemaname', 'newname', 'subname']);
// Statements that can run arbitrary DDL out of the parser's sight (PL/pgSQL, procedures, functions called by SELECT).
const OPAQUE = new Set(['DoStmt', 'CallStmt', 'ExecuteStmt']);

/**
 * The names a migration's statements mention (tables, indexes, constraints, functions, types, schemas),
 * from PostgreSQL's own parser: what a per-step snapshot needs to cover. null when the file can do
 * things the parser cannot see (a DO block, CALL, a SELECT calling functions) or does not parse:
 * the caller then snapshots everything.
 */
export async function touchedNames(sql: string): Promise<string[] | null> {
  const pg = await loadParser();
  let tree: { stmts?: { stmt: Node }[] };
  try {
    tree = pg.parseSync(sql);
  } catch {
    return null;
  }
  const names = new Set<string>();
  let opaque = false;
  const walk = (value: unknown, inSelect: boolean): void => {
    if (opaque || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v, inSelect);
      return;
    }
    for (const [key, v] of Object.entries(value as Node)) {
      if (OPAQUE.has(key) || (key === 'FuncCall' && inSelect)) {
        opaque = true;
        return;
      }
      if (typeof v === 'string') {
        if (NAME_KEYS.has(key)) names.add(v);
      } else if (key === 'String' && v && typeof (v as Node).sval === 'string') {
        names.add((v as Node).sval as string);
      } else walk(v, inSelect);
    }
  };
  for (const s of tree.stmts ?? []) {
    // A SELECT at the top of a migration calls functions for their effects (create_hypertable(...)).
    walk(s.stmt, 'SelectStmt' in s.stmt);
    if (opaque) return null;
  }
  return [...names].sort();
}
