import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { FormatFile, FormatListing, FormatMigration, FormatProblem } from '../driver.js';
import { parseSqlxName, sqlxNoTransaction, type SqlxMigrationType } from './parse-name.js';
import { sqlxChecksum } from './checksum.js';
import { readFolder } from '../folder.js';
import { invalidUtf8Where } from '../bytes.js';

export interface SqlxFile extends FormatFile {
  type: SqlxMigrationType;
  /** Description from this file's name (sqlx prints the down file's own description on revert). */
  description: string;
}

export interface SqlxMigration extends FormatMigration {
  kind: 'versioned';
  version: string;
  /** The i64 version. */
  versionNumber: bigint;
  up?: SqlxFile;
  down?: SqlxFile;
}

export interface SqlxListing extends FormatListing {
  migrations: SqlxMigration[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads a sqlx migrations folder the way sqlx-cli 0.8.6 resolves it (docs/formats-spec.md §2.1):
 * top level only, symlinks followed, non-files skipped. Problems of kind 'unparsable' are the names
 * and contents that make sqlx's resolve fail as a whole: with any of them sqlx runs nothing.
 */
export async function readSqlxSource(dir: string): Promise<SqlxListing> {
  const { dir: abs, entries } = await readFolder(dir, { tool: 'sqlx', files: '<version>_<description>.sql files (sqlx reads ./migrations unless told otherwise)' });
  const problems: FormatProblem[] = [];
  const ignored: string[] = [];
  const byVersion = new Map<bigint, SqlxMigration>();
  const extraUps = new Map<bigint, string[]>();
  const extraDowns = new Map<bigint, string[]>();
  // read_dir order is the file system's; sort so ties and duplicates resolve the same way every time.
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(abs, entry.name);
    if (!entry.isFile()) {
      if (entry.isDirectory()) continue;
      // fs::metadata follows symlinks; one that points nowhere makes sqlx fail.
      const st = await stat(path).catch(() => null);
      if (!st) {
        problems.push({ kind: 'unparsable', message: `error getting metadata of migration path ${path}` });
        continue;
      }
      if (!st.isFile()) continue;
    }
    const parsed = parseSqlxName(entry.name);
    if (parsed.kind === 'skip') {
      ignored.push(entry.name);
      continue;
    }
    if (parsed.kind === 'error') {
      problems.push({ kind: 'unparsable', message: parsed.message });
      continue;
    }
    const bytes = await readFile(path);
    let sql: string;
    try {
      sql = utf8.decode(bytes);
    } catch {
      problems.push({
        kind: 'unparsable',
        key: String(parsed.version),
        message: `error reading contents of migration ${path}: stream did not contain valid UTF-8${invalidUtf8Where(bytes)}`,
      });
      continue;
    }
    const file: SqlxFile = {
      path,
      file: entry.name,
      sql,
      transaction: !sqlxNoTransaction(sql),
      type: parsed.type,
      description: parsed.description,
    };
    let m = byVersion.get(parsed.version);
    if (!m) {
      m = { key: String(parsed.version), version: String(parsed.version), versionNumber: parsed.version, description: parsed.description, kind: 'versioned' };
      byVersion.set(parsed.version, m);
    }
    if (parsed.type === 'reversible-down') {
      if (m.down) extraDowns.set(parsed.version, [...(extraDowns.get(parsed.version) ?? [m.down.file]), entry.name]);
      else m.down = file;
    } else if (m.up) {
      extraUps.set(parsed.version, [...(extraUps.get(parsed.version) ?? [m.up.file]), entry.name]);
    } else {
      m.up = file;
      m.description = parsed.description;
      m.checksum = sqlxChecksum(bytes);
    }
  }
  for (const [version, files] of extraUps)
    problems.push({
      kind: 'duplicate',
      key: String(version),
      message: `${files.join(', ')} all migrate version ${version}: sqlx applies one and the next fails on the _sqlx_migrations primary key.`,
    });
  for (const [version, files] of extraDowns)
    problems.push({ kind: 'duplicate', key: String(version), message: `${files.join(', ')} all revert version ${version}.` });
  const migrations: SqlxMigration[] = [];
  for (const m of [...byVersion.values()].sort((a, b) => (a.versionNumber < b.versionNumber ? -1 : a.versionNumber > b.versionNumber ? 1 : 0))) {
    if (!m.up) {
      problems.push({
        kind: 'unsupported',
        key: m.key,
        message: `${m.down!.file} has no up migration for version ${m.version}: sqlx never runs it (migrate run skips .down.sql files).`,
      });
      continue;
    }
    if (m.up.type === 'reversible-up' && !m.down)
      problems.push({ kind: 'missing-down', key: m.key, message: `${m.up.file} has no ${m.version}_….down.sql: sqlx cannot revert version ${m.version}.` });
    migrations.push(m);
  }
  return { dir: abs, migrations, problems, ignored };
}

