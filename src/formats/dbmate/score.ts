import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasUpDirective, parseFileName } from './parse.js';

/** golang-migrate and sqlx name their reversible files <version>_<name>.up.sql / .down.sql. */
const UP_DOWN_PAIR = /\.(?:up|down)\.sql$/;

/**
 * Name-only score in [0, 0.5]: the share of .sql files named as dbmate names them (leading digits,
 * ".sql", not an .up.sql/.down.sql pair). Names alone cannot tell dbmate from sqlx's simple
 * migrations (both are `<digits>_<name>.sql`); {@link dbmateFolderScore} reads the files for the
 * `-- migrate:up` markers that can.
 */
export function dbmateNameScore(fileNames: string[]): number {
  const sql = fileNames.filter((f) => f.toLowerCase().endsWith('.sql'));
  if (sql.length === 0) return 0;
  const named = sql.filter((f) => parseFileName(f) && !UP_DOWN_PAIR.test(f));
  return (0.5 * named.length) / sql.length;
}

/** Files read by {@link dbmateFolderScore}: enough to be sure, cheap on a folder of thousands. */
const SAMPLE = 20;

/**
 * Name score plus up to 0.5 for the share of dbmate-named files (the first {@link SAMPLE}) that carry
 * a `-- migrate:up` directive: 1 for a folder dbmate made, at most 0.5 for sqlx's simple migrations.
 */
export async function dbmateFolderScore(dir: string): Promise<number> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.isDirectory()).map((e) => e.name);
  } catch {
    return 0;
  }
  const nameScore = dbmateNameScore(names);
  const sample = names.filter((f) => parseFileName(f) && !UP_DOWN_PAIR.test(f)).sort().slice(0, SAMPLE);
  if (sample.length === 0) return nameScore;
  const marked = await Promise.all(sample.map((f) => readFile(join(dir, f), 'utf8').then(hasUpDirective, () => false)));
  return nameScore + (0.5 * marked.filter(Boolean).length) / sample.length;
}

