import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { invalidUtf8Where } from '../bytes.js';
import { join, resolve } from 'node:path';
import type { FormatFile, FormatListing, FormatMigration, FormatProblem } from '../driver.js';
import { LadderError } from '../../errors.js';
import { flywayChecksum } from './checksum.js';
import { parseFlywayName } from './parse-name.js';
import { analyzeFlywayScript } from './script.js';
import { canonicalFlywayVersion, compareFlywayVersions, type FlywayVersion } from './version.js';

export interface FlywayFile extends FormatFile {
  /** Path relative to the location with `/` separators: what Flyway stores in `script`. */
  file: string;
  /** Signed CRC-32 (§3.4). */
  checksum: number;
  /** Why Ladder cannot run it as Flyway would (placeholders, mixed statements, COPY FROM STDIN). */
  unsupported?: string;
}

export interface FlywayMigration extends FormatMigration {
  /** The version as Flyway parses it; null for repeatables. */
  parsedVersion: FlywayVersion | null;
  /** flyway_schema_history.type for it. */
  type: 'SQL';
  /** flyway_schema_history.script: the up file's path relative to the location. */
  script: string;
  up: FlywayFile;
  down?: FlywayFile;
  checksum: string;
}

export interface FlywayListing extends FormatListing {
  migrations: FlywayMigration[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

interface Found {
  abs: string;
  rel: string;
  name: string;
}

/** FileSystemScanner: recursive, hidden directories skipped, unreadable entries skipped. */
async function scan(root: string): Promise<Found[]> {
  const out: Found[] = [];
  const seen = new Set<string>();
  async function walk(dir: string, rel: string): Promise<void> {
    const real = await realpath(dir).catch(() => dir);
    if (seen.has(real)) return; // a symlink loop: Flyway would recurse forever
    seen.add(real);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(dir, e.name);
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        const st = await stat(abs).catch(() => null);
        isDir = Boolean(st?.isDirectory());
        isFile = Boolean(st?.isFile());
      }
      if (isDir) {
        if (!e.name.startsWith('.')) await walk(abs, relPath);
      } else if (isFile) out.push({ abs, rel: relPath, name: e.name });
    }
  }
  await walk(root, '');
  // Flyway collects paths in a TreeSet: ties between equal versions resolve in path order.
  return out.sort((a, b) => (a.abs < b.abs ? -1 : a.abs > b.abs ? 1 : 0));
}

interface Candidate {
  found: Found;
  version: FlywayVersion | null;
  description: string;
  file: FlywayFile;
}

/**
 * Reads a Flyway location (default `db/migration`) as Flyway 13 resolves SQL migrations with default
 * settings (docs/formats-spec.md §3.1-3.4). U files (Teams-edition undo) are paired with their V file.
 */
export async function readFlywaySource(dir: string): Promise<FlywayListing> {
  const abs = resolve(dir);
  const st = await stat(abs).catch((err: NodeJS.ErrnoException) => err);
  if (st instanceof Error || !st.isDirectory()) {
    const missing = st instanceof Error && st.code === 'ENOENT';
    throw new LadderError(
      missing ? `The Flyway migrations location ${abs} does not exist.` : `${abs} is not a Flyway migrations folder.`,
      'Flyway reads db/migration by default (classpath:db/migration); pass the folder given to -locations=filesystem:DIR.',
    );
  }
  const problems: FormatProblem[] = [];
  const ignored: string[] = [];
  const versioned: Candidate[] = [];
  const undos: Candidate[] = [];
  const repeatables: Candidate[] = [];
  for (const found of await scan(abs)) {
    if (/\.sql\.conf$/i.test(found.name)) {
      problems.push({ kind: 'unsupported', message: `${found.rel}: Flyway script configuration files (executeInTransaction, encoding, …) are not supported by Ladder.` });
      continue;
    }
    const parsed = parseFlywayName(found.name);
    if (parsed.kind === 'other' || parsed.kind === 'invalid') {
      ignored.push(found.rel);
      continue;
    }
    if (parsed.kind === 'callback') {
      problems.push({ kind: 'unsupported', message: `${found.rel} is a Flyway SQL callback (${parsed.event}); Flyway runs it around its commands, Ladder does not run callbacks.` });
      continue;
    }
    if (parsed.kind === 'baseline') {
      problems.push({ kind: 'unsupported', message: `${found.rel} is a Flyway baseline migration (B prefix); Ladder does not run baseline migrations.` });
      continue;
    }
    const bytes = await readFile(found.abs);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      problems.push({
        kind: 'unparsable',
        message: `Unable to calculate checksum of ${found.name}\nPlease ensure you have configured the correct file encoding with 'flyway.encoding' or enable 'flyway.detectEncoding' to let Flyway detect it for you\n(Ladder: not valid UTF-8${invalidUtf8Where(bytes)})`,
      });
      continue;
    }
    const script = await analyzeFlywayScript(text, found.rel);
    const file: FlywayFile = {
      path: found.abs,
      file: found.rel,
      sql: script.sql,
      transaction: script.transaction,
      eachStatement: true, // Flyway executes a script statement by statement
      checksum: flywayChecksum(text),
      ...(script.unsupported ? { unsupported: script.unsupported } : {}),
    };
    const candidate: Candidate = { found, version: parsed.kind === 'repeatable' ? null : parsed.version, description: parsed.description, file };
    if (parsed.kind === 'repeatable') repeatables.push(candidate);
    else if (parsed.kind === 'undo') undos.push(candidate);
    else versioned.push(candidate);
  }

  const byVersion = (a: Candidate, b: Candidate) => compareFlywayVersions(a.version!, b.version!);
  versioned.sort(byVersion); // stable: equal versions stay in path order
  undos.sort(byVersion);
  repeatables.sort((a, b) => (a.description < b.description ? -1 : a.description > b.description ? 1 : 0));

  const migrations: FlywayMigration[] = [];
  const keyOf = (c: Candidate) => (c.version ? canonicalFlywayVersion(c.version) : `R__${c.description}`);
  const addDuplicates = (list: Candidate[], what: (c: Candidate) => string) => {
    for (let i = 0; i + 1 < list.length; i++) {
      const cur = list[i]!;
      const next = list[i + 1]!;
      if (keyOf(cur) === keyOf(next))
        problems.push({ kind: 'duplicate', key: keyOf(cur), message: `${what(cur)}\nOffenders:\n-> ${cur.file.path} (SQL)\n-> ${next.file.path} (SQL)` });
    }
  };
  addDuplicates(versioned, (c) => `Found more than one migration with version ${c.version!.display}`);
  addDuplicates(undos, (c) => `Found more than one undo migration with version ${c.version!.display}`);
  addDuplicates(repeatables, (c) => `Found more than one repeatable migration with description ${c.description}`);

  const undoByKey = new Map<string, Candidate>();
  for (const u of undos) if (!undoByKey.has(keyOf(u))) undoByKey.set(keyOf(u), u);
  const seen = new Set<string>();
  for (const c of [...versioned, ...repeatables]) {
    const key = keyOf(c);
    if (seen.has(key)) continue; // reported as a duplicate above
    seen.add(key);
    const undo = c.version ? undoByKey.get(key) : undefined;
    undoByKey.delete(key);
    for (const f of [c.file, undo?.file]) if (f?.unsupported) problems.push({ kind: 'unsupported', key, message: f.unsupported });
    migrations.push({
      key,
      version: c.version ? c.version.display : null,
      description: c.description,
      kind: c.version ? 'versioned' : 'repeatable',
      parsedVersion: c.version,
      type: 'SQL',
      script: c.file.file,
      up: c.file,
      ...(undo ? { down: undo.file } : {}),
      checksum: String(c.file.checksum),
    });
  }
  for (const [key, u] of undoByKey)
    problems.push({ kind: 'unsupported', key, message: `${u.file.file} undoes version ${u.version!.display}, which has no V file.` });
  return { dir: abs, migrations, problems, ignored };
}
