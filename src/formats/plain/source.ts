import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FormatFile, FormatListing, FormatMigration, FormatProblem } from '../driver.js';
import { readFolder } from '../folder.js';
import { splitStatements } from '../../db/statements.js';
import { parsePlainName, ROLLBACKS_DIR } from './parse-name.js';



interface Found {
  version: number;
  file: FormatFile;
}

/**
 * Reads a plain-SQL folder: `NNN_name.sql` at the top level are the migrations (in numeric order);
 * `NNN_rollback*.sql` beside them or in `rollbacks/` are their downs. Everything else (schema.sql,
 * CHANGELOG.md, README) is ignored.
 */
export async function readPlainSource(dir: string): Promise<FormatListing> {
  const folder = await readFolder(dir, { tool: 'plain-SQL', files: 'numbered .sql files (001_initial.sql, 002_add_indexes.sql, ...)' });
  const problems: FormatProblem[] = [];
  const ignored: string[] = [];
  const ups: (Found & { description: string })[] = [];
  const downs: Found[] = [];
  const entries = [...folder.entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.isDirectory()) continue;
    const parsed = parsePlainName(e.name);
    if (parsed.kind === 'skip') {
      ignored.push(e.name);
      continue;
    }
    if (parsed.kind === 'error') {
      problems.push({ kind: 'unparsable', message: parsed.message });
      continue;
    }
    const file = await readSql(folder.prefix + e.name, e.name);
    if (parsed.kind === 'up') ups.push({ version: parsed.version, description: parsed.description, file });
    else downs.push({ version: parsed.version, file });
  }
  if (entries.some((e) => e.isDirectory() && e.name === ROLLBACKS_DIR)) {
    const sub = join(folder.dir, ROLLBACKS_DIR);
    for (const name of (await readdir(sub)).sort()) {
      const parsed = parsePlainName(name, true);
      if (parsed.kind === 'down') downs.push({ version: parsed.version, file: await readSql(join(sub, name), `${ROLLBACKS_DIR}/${name}`) });
      else if (parsed.kind === 'error') problems.push({ kind: 'unparsable', message: `${ROLLBACKS_DIR}/${parsed.message}` });
    }
  }

  const byVersion = new Map<number, FormatMigration>();
  for (const u of ups) {
    const key = String(u.version);
    const seen = byVersion.get(u.version);
    if (seen) {
      problems.push({ kind: 'duplicate', key, message: `${seen.up!.file} and ${u.file.file} are both migration ${key}: give each file its own number.` });
      continue;
    }
    byVersion.set(u.version, { key, version: key, description: u.description, kind: 'versioned', up: u.file });
  }
  for (const d of downs) {
    const m = byVersion.get(d.version);
    if (!m) {
      problems.push({ kind: 'unsupported', key: String(d.version), message: `${d.file.file} rolls back migration ${d.version}, but there is no ${d.version}_<name>.sql it belongs to.` });
      continue;
    }
    if (m.down) {
      problems.push({ kind: 'duplicate', key: m.key, message: `${m.down.file} and ${d.file.file} both roll back migration ${m.key}: keep one.` });
      continue;
    }
    m.down = d.file;
  }
  const migrations = [...byVersion.values()].sort((a, b) => Number(a.key) - Number(b.key));
  return { dir: folder.dir, migrations, problems, ignored };
}

/**
 * A file runs as one simple query with its tracking write appended, so it commits together with that
 * write unless it controls transactions itself (BEGIN/COMMIT) or holds a statement that cannot run in one.
 */
async function readSql(path: string, file: string): Promise<FormatFile> {
  const sql = await readFile(path, 'utf8');
  const split = await splitStatements(sql);
  const transaction = split.ok && !split.statements.some((s) => s.transaction !== undefined || s.nonTransactional);
  return { path, file, sql, transaction };
}
