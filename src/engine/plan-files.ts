import { closeSync, fstatSync, openSync, readFileSync, readSync, constants } from 'node:fs';
import { decodeMigration } from '../formats/bytes.js';
import { LadderError } from '../errors.js';
import type { MigrationFile } from '../formats/types.js';
import type { Plan } from './plan.js';

/**
 * The checked text of a plan's files, kept so the run sends what preflight checked without reading each
 * file again. Up to this many characters in all; a plan of larger files reads the rest again when it runs.
 */
const KEEP_CHARS = 64 * 1024 * 1024;
const checked = new WeakMap<Plan, Map<string, string>>();

/**
 * Checks every file a plan will run can be read and is UTF-8 text without NUL bytes, so a bad file is
 * reported before anything runs (callers may check before creating the tracking table; once is enough).
 * Synchronous reads: a thousand small files in turn cost a fraction of the same reads through the
 * thread pool, and nothing else runs meanwhile.
 */
export function preflight(plan: Plan): void {
  if (checked.has(plan)) return;
  const texts = new Map<string, string>();
  let kept = 0;
  for (const step of plan.steps) {
    if (step.kind !== 'migrate' || !step.file) continue;
    const path = step.file.path;
    const text = decodeMigration(readRegularFile(path), path);
    if (kept + text.length <= KEEP_CHARS) {
      texts.set(path, text);
      kept += text.length;
    }
  }
  checked.set(plan, texts);
}

/** The text preflight read for this file, if it kept it. */
export function checkedText(plan: Plan, file: MigrationFile): string | undefined {
  return checked.get(plan)?.get(file.path);
}

/**
 * Opened without blocking (a FIFO must not hang the check), then refused unless it is a regular file.
 * Read by the size that one fstat gave, as readFileSync reads it, without the fstat of its own
 * readFileSync(fd) makes: a fifth of the system calls of reading a thousand small files.
 */
export function readRegularFile(path: string): Buffer {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EISDIR' });
    // A size of 0 may be a file whose size is not known ahead: read it to its end, as readFileSync does.
    if (stats.size === 0) return readFileSync(fd);
    const buf = Buffer.allocUnsafe(stats.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, null);
      if (n === 0) break;
      got += n;
    }
    return got === buf.length ? buf : buf.subarray(0, got);
  } catch (err) {
    throw unreadable(path, err);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function unreadable(path: string, err: unknown): LadderError {
  const e = err as NodeJS.ErrnoException;
  const why = e.code === 'ENOENT' ? 'it does not exist (a broken symlink?)' : e.code === 'EACCES' ? 'permission denied' : e.message;
  return new LadderError(`Cannot read migration file ${path}: ${why}.`, 'Nothing was run. Fix the file (or its permissions) and try again.');
}
