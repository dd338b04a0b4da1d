import { mkdir, open, readdir, writeFile } from 'node:fs/promises';
import { resolve, join, sep } from 'node:path';
import { LadderError } from '../errors.js';
import type { CliIO } from './io.js';
import { decideFormat, scanFolder, type FormatName } from '../formats/detect.js';
import { LINEAR_FORMAT, tracksOneVersion, type SetFormatName } from '../formats/names.js';

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

/** golang-migrate's `create`: an empty up/down pair named <version>_<name>.{up,down}.<ext>. */
export async function createCommand(opts: CreateOptions, io: CliIO): Promise<number> {
  const dir = resolve(opts.dir);
  const tool = opts.tool ?? (await toolOfFolder(dir));
  if (!tracksOneVersion(tool)) return createToolFiles(tool, dir, opts, io);
  const ext = '.' + opts.ext.replace(/^\./, '');
  const existing = await readdir(dir).catch(() => [] as string[]);
  const version = opts.seq ? nextSequence(existing.filter((f) => f.endsWith(ext)).sort(), opts.digits) : timeVersion(opts.now ?? new Date(), opts.format, opts.tz);
  if (existing.some((f) => f.startsWith(`${version}_`) && f.endsWith(ext))) throw new LadderError(`duplicate migration version: ${version}`, 'Wait a second (timestamps) or use -seq.');
  await mkdir(dir, { recursive: true });
  for (const direction of ['up', 'down']) {
    const file = join(dir, `${version}_${opts.name}.${direction}${ext}`);
    try {
      await (await open(file, 'wx', 0o666)).close();
    } catch (err) {
      throw new LadderError(`Could not create ${file}: ${(err as Error).message}`);
    }
    io.out(file + '\n');
  }
  return 0;
}

export function nextSequence(sortedMatches: string[], digits: number): string {
  let next = 1n;
  const last = sortedMatches[sortedMatches.length - 1];
  if (last) {
    const idx = last.indexOf('_');
    if (idx < 1 || !/^\d+$/.test(last.slice(0, idx))) throw new LadderError(`malformed migration filename: ${last}`);
    next = BigInt(last.slice(0, idx)) + 1n;
  }
  const version = String(next).padStart(digits, '0');
  if (version.length > digits) throw new LadderError(`next sequence number ${version} too large, at most ${digits} digits are allowed`);
  return version;
}

/** Formats a time with a Go layout ("20060102150405"), or as unix / unixNano. */
export function timeVersion(now: Date, layout: string, tz: string): string {
  if (layout === '') throw new LadderError('time format may not be empty');
  if (layout === 'unix') return String(Math.floor(now.getTime() / 1000));
  if (layout === 'unixNano') return `${now.getTime()}000000`;
  let parts: Record<string, string>;
  try {
    parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
        .formatToParts(now)
        .map((p) => [p.type, p.value]),
    );
  } catch {
    throw new LadderError(`unknown time zone ${tz}`, 'Use an IANA name such as UTC or Europe/Berlin.');
  }
  const ms = String(now.getMilliseconds()).padStart(3, '0');
  const tokens: [string, string][] = [
    ['2006', parts.year!],
    ['.000', `.${ms}`],
    ['01', parts.month!],
    ['02', parts.day!],
    ['15', parts.hour!],
    ['04', parts.minute!],
    ['05', parts.second!],
    ['06', parts.year!.slice(2)],
  ];
  let out = '';
  for (let i = 0; i < layout.length; ) {
    const hit = tokens.find(([t]) => layout.startsWith(t, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else out += layout[i++];
  }
  return out;
}

/** The tool the folder's files belong to, judging by names and markers alone (create needs no database). */
async function toolOfFolder(dir: string): Promise<FormatName> {
  const scan = await scanFolder(dir);
  try {
    return decideFormat({ dir, scores: scan.scores, sqlFiles: scan.sqlFiles, tables: [], evidence: scan }).format;
  } catch {
    return LINEAR_FORMAT;
  }
}

/** dbmate new, sqlx migrate add, or Flyway's next V file: the names and bytes each tool writes. */
async function createToolFiles(tool: SetFormatName, dir: string, opts: CreateOptions, io: CliIO): Promise<number> {
  const existing = (await readdir(dir, { recursive: true }).catch(() => [] as string[])).map((f) => f.split(sep).join('/'));
  const now = opts.now ?? new Date();
  const { FORMAT_MODULES } = await import('../formats/registry.js');
  const files = FORMAT_MODULES[tool].newMigration(opts.name, { now, existing, sequential: opts.seq });
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
