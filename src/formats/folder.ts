import { readdir } from 'node:fs/promises';
import { statSync, type Dirent } from 'node:fs';
import { resolve, sep } from 'node:path';
import { LadderError } from '../errors.js';

export interface Folder {
  /** Absolute path. */
  dir: string;
  /** dir with a trailing separator: file paths are prefix + name (path.join per file is measurably slow at 10,000 files). */
  prefix: string;
  entries: Dirent[];
}

/**
 * One listing handed from detection to the source that reads the folder next (opening a project lists
 * a 10,000-file folder once, not twice). Taken by the first reader; later reads list the folder afresh.
 * A listing nobody took (the open failed in between) must not serve a later open in the same process
 * (the TUI, tests in-process) after files came or went: it is kept with the folder's modification time.
 */
const handedOver = new Map<string, { listing: Promise<Dirent[]>; mtimeNs: bigint | undefined }>();

function folderMtime(abs: string): bigint | undefined {
  try {
    return statSync(abs, { bigint: true }).mtimeNs;
  } catch {
    return undefined;
  }
}

/** Lists a folder's top level and keeps the listing for the next {@link readFolder} of the same folder. */
export function listFolderOnce(dir: string): Promise<Dirent[]> {
  const abs = resolve(dir);
  const mtimeNs = folderMtime(abs); // before listing: a change during the listing shows as a newer time
  const listing = readdir(abs, { withFileTypes: true });
  listing.catch(() => undefined);
  handedOver.set(abs, { listing, mtimeNs });
  return listing;
}

/** The listing detection made, while the folder is as it was then. */
function takeListing(abs: string): Promise<Dirent[]> | undefined {
  const kept = handedOver.get(abs);
  handedOver.delete(abs);
  if (!kept || kept.mtimeNs === undefined || kept.mtimeNs !== folderMtime(abs)) return undefined;
  return kept.listing;
}

/** Lists a migrations folder's top level; a folder that cannot be read is a clear error with what to do. */
export async function readFolder(dir: string, what: { tool: string; files: string }): Promise<Folder> {
  const abs = resolve(dir);
  const listed = takeListing(abs);
  try {
    const entries = await (listed ?? readdir(abs, { withFileTypes: true }));
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
