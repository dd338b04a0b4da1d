import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { resolve, join, sep } from 'node:path';
import { LadderError } from '../errors.js';
import type { CliIO } from './io.js';
import { decideFormat, scanFolder, type FormatName } from '../formats/detect.js';
import { DEFAULT_FORMAT } from '../formats/names.js';
import { loadFormatModule } from '../formats/load.js';

export interface CreateOptions {
  name: string;
  ext: string;
  dir: string;
  seq: boolean;
  digits: number;
  format: string;
  tz: string;
  now?: Date;
  /** The project's tool (-format, else recognised from the folder); golang-migrate when undefined. */
  tool?: FormatName;
}

/** The tool's own "new migration": golang-migrate's create, dbmate new, sqlx migrate add, Flyway's next V file. */
export async function createCommand(opts: CreateOptions, io: CliIO): Promise<number> {
  const dir = resolve(opts.dir);
  const tool = opts.tool ?? (await toolOfFolder(dir));
  return createToolFiles(tool, dir, opts, io);
}

export { nextSequence, timeVersion } from '../formats/golang-migrate/new-file.js';

/** The tool the folder's files belong to, judging by names and markers alone (create needs no database). */
async function toolOfFolder(dir: string): Promise<FormatName> {
  const scan = await scanFolder(dir);
  try {
    return decideFormat({ dir, scores: scan.scores, sqlFiles: scan.sqlFiles, tables: [], evidence: scan }).format;
  } catch {
    return DEFAULT_FORMAT;
  }
}

/** The names and bytes the tool's own command writes. */
async function createToolFiles(tool: FormatName, dir: string, opts: CreateOptions, io: CliIO): Promise<number> {
  const existing = (await readdir(dir, { recursive: true }).catch(() => [] as string[])).map((f) => f.split(sep).join('/'));
  const now = opts.now ?? new Date();
  const module = await loadFormatModule(tool);
  const files = module.newMigration(opts.name, { now, existing, sequential: opts.seq, ext: opts.ext, digits: opts.digits, timeFormat: opts.format, tz: opts.tz });
  await mkdir(dir, { recursive: true });
  for (const f of files) {
    const path = join(dir, f.name);
    try {
      await writeFile(path, f.contents, { flag: 'wx' });
    } catch (err) {
      throw new LadderError(`Could not create ${path}: ${(err as Error).message}`);
    }
    io.out(path + '\n');
  }
  return 0;
}
