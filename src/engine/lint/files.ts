import { readFile } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';
import { splitStatements } from '../../db/statements.js';
import type { Direction, Migration, MigrationFile } from '../../formats/types.js';
import type { LintFile } from './types.js';

/** Reads and parses the SQL a tool runs for one half of a migration, numbered as in the file. */
export async function readLintFile(m: Migration, direction: Direction, cwd: string): Promise<LintFile | undefined> {
  const f: MigrationFile | undefined = direction === 'up' ? m.up : m.down;
  if (!f) return undefined;
  const text = f.sql !== undefined && f.sql.length > 0 ? await readFile(f.path, 'utf8').catch(() => f.sql!) : await readFile(f.path, 'utf8');
  const sql = f.sql ?? text;
  const file: LintFile = {
    version: m.version,
    direction,
    file: shownPath(f.path, cwd),
    lineOffset: f.sql !== undefined ? lineOffset(text, sql, direction) : 0,
    sql,
    // An empty or whitespace-only file runs nothing (golang-migrate skips it); the parser calls it an error.
    parsed: sql.trim() === '' ? { ok: true, statements: [] } : await splitStatements(sql),
    ...(f.transaction !== undefined ? { transaction: f.transaction } : {}),
    eachStatement: f.eachStatement === true,
  };
  // A repeatable (Flyway R__) is re-run, never rolled back: it has no down to miss.
  if (direction === 'up' && !m.repeatable) file.hasDown = await downDoesSomething(m);
  return file;
}

async function downDoesSomething(m: Migration): Promise<boolean> {
  if (!m.down) return false;
  if (m.down.sql === undefined) return true; // a down file of its own: its presence is the tool's answer
  if (m.down.sql.trim() === '') return false;
  const parsed = await splitStatements(m.down.sql);
  return !parsed.ok || parsed.statements.length > 0;
}

/** The 0-based line where a section starts in its file (a down section is searched for after the up). */
function lineOffset(text: string, sql: string, direction: Direction): number {
  if (sql === '') return 0;
  const at = direction === 'down' ? text.lastIndexOf(sql) : text.indexOf(sql);
  if (at <= 0) return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
