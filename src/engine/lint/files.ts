import { relative, isAbsolute } from 'node:path';
import { splitStatements } from '../../db/statements.js';
import type { Direction, Migration, MigrationFile } from '../../formats/types.js';
import type { LintFile } from './types.js';
import { readRegularFile } from '../plan-files.js';

/**
 * Reads and parses the SQL a tool runs for one half of a migration, numbered as in the file, with the
 * other half (when it does something) for the rules that compare them.
 */
export async function readLintFile(m: Migration, direction: Direction, cwd: string, known?: KnownText): Promise<LintFile | undefined> {
  const file = await readHalf(m, direction, cwd, known);
  if (!file) return undefined;
  // A repeatable (Flyway R__) is re-run, never rolled back: it has no down to miss.
  if (m.repeatable) return file;
  const other = await readHalf(m, direction === 'up' ? 'down' : 'up', cwd, known).catch(() => undefined);
  const does = other !== undefined && (!other.parsed.ok || other.parsed.statements.length > 0);
  // A down file of its own counts by its presence (the tool's answer); a down section only when it holds statements.
  if (direction === 'up') file.hasDown = m.down !== undefined && (m.down.sql === undefined || does);
  if (does) file.other = other;
  return file;
}

/** A file's text already read (a plan's pre-run check keeps it), so lint does not read it again. */
export type KnownText = (f: MigrationFile) => string | undefined;

async function readHalf(m: Migration, direction: Direction, cwd: string, known?: KnownText): Promise<LintFile | undefined> {
  const f: MigrationFile | undefined = direction === 'up' ? m.up : m.down;
  if (!f) return undefined;
  // Read at once, not through the thread pool: for a thousand small files that is a fraction of the cost.
  const text = known?.(f) ?? (f.sql !== undefined && f.sql.length > 0 ? readText(f.path, f.sql) : readRegularFile(f.path).toString('utf8'));
  const sql = f.sql ?? text;
  return {
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
}

/** The file's text, or (a section whose file went away since it was listed) the section as listed. */
function readText(path: string, fallback: string): string {
  try {
    return readRegularFile(path).toString('utf8');
  } catch {
    return fallback;
  }
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
