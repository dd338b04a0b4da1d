import { readdir } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import { resolve, sep } from 'node:path';
import { LadderError } from '../errors.js';

export interface Folder {
  /** Absolute path. */
  dir: string;
  /** dir with a trailing separator: file paths are prefix + name (path.join per file is measurably slow at 10,000 files). */
  prefix: string;
  entries: Dirent[];
}

/** Lists a migrations folder's top level; a folder that cannot be read is a clear error with what to do. */
export async function readFolder(dir: string, what: { tool: string; files: string }): Promise<Folder> {
  const abs = resolve(dir);
  try {
    const entries = await readdir(abs, { withFileTypes: true });
    return { dir: abs, prefix: abs.endsWith(sep) ? abs : abs + sep, entries };
  } catch (err) {
    throw folderError(abs, err, what);
  }
}

function folderError(dir: string, err: unknown, what: { tool: string; files: string }): LadderError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new LadderError(`The ${what.tool} migrations folder ${dir} does not exist.`, `Pass the folder that holds the ${what.files}.`);
  if (code === 'ENOTDIR') return new LadderError(`${dir} is a file, not a ${what.tool} migrations folder.`, `Pass the folder that holds the ${what.files}.`);
  if (code === 'EACCES')
    return new LadderError(`Permission denied reading the migrations folder ${dir}.`, "Check the folder's permissions (it must be readable and executable by you).");
  return new LadderError(`Could not read the migrations folder ${dir}: ${(err as Error).message}`);
}
