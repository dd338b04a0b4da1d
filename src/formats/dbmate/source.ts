import { readFile } from 'node:fs/promises';
import { decodeMigration } from '../bytes.js';
import type { LadderError } from '../../errors.js';
import type { FormatListing, FormatMigration, FormatProblem } from '../driver.js';
import { compareFileNames, parseFileName, parseMigrationContents, runsInTransaction } from './parse.js';
import { readFolder } from '../folder.js';

/**
 * A dbmate migration as Ladder lists it. When dbmate could not run the file (a parse error, or a
 * file with several up/down sections), `up` and `down` are absent and `problem` says why.
 */
export interface DbmateMigration extends FormatMigration {
  version: string;
  /** The file name dbmate prints ("Applying: <file>") and lists in `status`. */
  file: string;
  path: string;
  problem?: FormatProblem;
  /** dbmate's own error text for this file, when it would refuse it (ErrParse*). */
  dbmateError?: string;
}

/** Files read at once: enough to keep the disk busy, few enough to stay clear of EMFILE. */
const READ_CONCURRENCY = 64;

/**
 * Reads a migrations folder as dbmate's FindMigrations does: the top level only (subfolders are
 * skipped), names matching `^(\d+).*\.sql$`, sorted by file name. Unlike dbmate, which parses a file
 * only when its turn comes, every file is parsed here and what dbmate would fail on is reported as a
 * problem; reading the folder fails only when the folder itself cannot be read.
 */
export async function readDbmateSource(dir: string): Promise<FormatListing> {
  const { dir: abs, prefix, entries } = await readFolder(dir, { tool: 'dbmate', files: 'dbmate .sql files (dbmate reads ./db/migrations unless told otherwise)' });
  const ignored: string[] = [];
  const named: { file: string; version: string; description: string }[] = [];
  for (const entry of entries) {
    if (entry.isDirectory()) continue; // `if file.IsDir() { continue }`: no recursion
    const parsed = parseFileName(entry.name);
    if (parsed) named.push({ file: entry.name, ...parsed });
    else ignored.push(entry.name);
  }
  named.sort((a, b) => compareFileNames(a.file, b.file));
  ignored.sort(compareFileNames);

  const built = await mapLimited(named, READ_CONCURRENCY, ({ file, version, description }) => build(prefix + file, file, version, description));
  const migrations: DbmateMigration[] = [];
  const problems: FormatProblem[] = [];
  const byVersion = new Map<string, DbmateMigration>();
  const duplicates = new Map<string, string[]>();
  for (const m of built) {
    const first = byVersion.get(m.version);
    if (first) {
      // dbmate does not notice: both files show as applied once the version is stored, and when both
      // are pending the second one's INSERT fails on the primary key. Ladder keeps the first.
      const files = duplicates.get(m.version) ?? [first.file];
      files.push(m.file);
      duplicates.set(m.version, files);
      continue;
    }
    byVersion.set(m.version, m);
    migrations.push(m);
    if (m.problem) problems.push(m.problem);
  }
  for (const [version, files] of duplicates) {
    problems.push({
      kind: 'duplicate',
      key: version,
      message: `Version ${version} is used by ${files.length} files: ${files.join(', ')}. dbmate stores only the version, so it would run ${files[0]} and then fail on ${files[1]} with a duplicate key.`,
    });
  }
  return { dir: abs, migrations, problems, ignored };
}

async function build(path: string, file: string, version: string, description: string): Promise<DbmateMigration> {
  const m: DbmateMigration = { key: version, version, description, kind: 'versioned', file, path };
  let contents: string;
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    m.dbmateError = (err as Error).message;
    m.problem = { kind: 'unparsable', key: version, message: `${file}: ${m.dbmateError}` };
    return m;
  }
  try {
    contents = decodeMigration(bytes, path); // no BOM stripping: dbmate sees a BOM as text
  } catch (err) {
    // Not UTF-8 or a NUL byte: refused with where, before anything runs (dbmate would send the bytes and fail).
    const e = err as LadderError;
    m.problem = { kind: 'unsupported', key: version, message: `${e.message} ${e.hint ?? ''}`.trim() };
    return m;
  }
  const parsed = parseMigrationContents(contents);
  if (!parsed.ok) {
    m.dbmateError = parsed.message;
    m.problem = { kind: parsed.code === 'missing-down' ? 'missing-down' : 'unparsable', key: version, message: `${file}: ${parsed.message}` };
    return m;
  }
  const [section, ...more] = parsed.sections;
  if (!section) throw new Error('unreachable: a parsed dbmate file has a section');
  if (more.length > 0) {
    m.problem = {
      kind: 'unsupported',
      key: version,
      message: `${file} has ${parsed.sections.length} '-- migrate:up' sections. dbmate records the version once per section, so on PostgreSQL it applies the first section and fails on the second with a duplicate key; Ladder does not run such files. Split it into one file per section.`,
    };
    return m;
  }
  m.up = { path, file, sql: section.up, transaction: runsInTransaction(section.upOptions) };
  m.down = { path, file, sql: section.down, transaction: runsInTransaction(section.downOptions) };
  return m;
}

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

