import { decideFormat, scanFolder, type FormatName } from '../../formats/detect.js';
import { loadFormatModule } from '../../formats/load.js';
import { DEFAULT_FORMAT } from '../../formats/names.js';
import type { SourceListing } from '../../formats/types.js';

/** The folder's listing without a database: the format from the file names alone (or -format). */
export async function readFolderListing(dir: string, format?: FormatName): Promise<{ listing: SourceListing; format: FormatName }> {
  const scan = await scanFolder(dir);
  const detection = decideFormat({ dir, scores: scan.scores, sqlFiles: scan.sqlFiles, tables: [], explicit: format, evidence: scan });
  // A missing folder: the default tool's reader words the error, as openProject does.
  const module = await loadFormatModule(scan.exists ? detection.format : (format ?? DEFAULT_FORMAT));
  if (module.model === 'version') return { listing: await module.readSource(dir), format: detection.format };
  const [{ toSourceListing }, listing] = await Promise.all([import('../ledger/status.js'), module.readSource(dir)]);
  return { listing: toSourceListing(listing), format: detection.format };
}
