import type { Migration, Source, SourceListing, SourceProblem } from '../types.js';
import { compareNumeric } from '../types.js';
import { parseMigrationName } from './parse-name.js';
import { readFolder } from '../folder.js';

/** Sequential numbering (as `migrate create -seq` makes) is where a hole in the numbers means something. */
const SEQUENTIAL_LIMIT = 1_000_000;

export const golangMigrateSource: Source = {
  async read(dir: string): Promise<SourceListing> {
    const { dir: abs, prefix, entries } = await readFolder(dir, { tool: 'golang-migrate', files: '.up.sql/.down.sql files (-path DIR or -source file://DIR); "ladder create -seq -dir DIR NAME" starts one' });
    const byVersion = new Map<string, Migration>();
    const dupes = new Map<string, Set<string>>();
    const ignored: string[] = [];
    // Only the folder's top level, like golang-migrate's file source; sorted so duplicates report stably.
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.isDirectory()) continue;
      const parsed = parseMigrationName(entry.name);
      if (!parsed) {
        ignored.push(entry.name);
        continue;
      }
      let m = byVersion.get(parsed.version);
      if (!m) {
        m = { version: parsed.version, name: parsed.name };
        byVersion.set(parsed.version, m);
      }
      const file = { path: prefix + entry.name, file: entry.name, name: parsed.name };
      const existing = m[parsed.direction];
      if (existing) {
        const key = `${parsed.version}:${parsed.direction}`;
        const set = dupes.get(key) ?? new Set([existing.file]);
        set.add(entry.name);
        dupes.set(key, set);
        continue;
      }
      m[parsed.direction] = file;
      // golang-migrate names a version by whichever file it read; prefer the up file's name.
      if (parsed.direction === 'up') m.name = parsed.name;
    }
    const migrations = [...byVersion.values()].sort((a, b) => compareNumeric(a.version, b.version));
    const problems: SourceProblem[] = [];
    for (const [key, files] of dupes) {
      const [v, direction] = key.split(':');
      problems.push({ kind: 'duplicate', version: v!, direction: direction as 'up' | 'down', files: [...files] });
    }
    for (const m of migrations) {
      if (!m.down) problems.push({ kind: 'missing-down', version: m.version });
      if (!m.up) problems.push({ kind: 'missing-up', version: m.version });
    }
    problems.push(...findGaps(migrations));
    return { dir: abs, migrations, problems, ignored };
  },
};

function findGaps(migrations: Migration[]): SourceProblem[] {
  const last = migrations[migrations.length - 1];
  // Versions are canonical decimals in ascending order: below the limit, every one is an exact Number.
  if (!last || Number(last.version) >= SEQUENTIAL_LIMIT) return [];
  const gaps: SourceProblem[] = [];
  for (let i = 1; i < migrations.length; i++) {
    const before = migrations[i]!.version;
    const after = migrations[i - 1]!.version;
    const missing = Number(before) - Number(after) - 1;
    if (missing > 0) gaps.push({ kind: 'gap', after, before, missing });
  }
  return gaps;
}

