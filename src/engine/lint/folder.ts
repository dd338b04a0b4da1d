import { decideFormat, scanFolder, type FormatName } from '../../formats/detect.js';
import { golangMigrateSource } from '../../formats/golang-migrate/source.js';
import { tracksOneVersion } from '../../formats/names.js';
import type { SourceListing } from '../../formats/types.js';

/** The folder's listing without a database: the format from the file names alone (or -format). */
export async function readFolderListing(dir: string, format?: FormatName): Promise<{ listing: SourceListing; format: FormatName }> {
  const scan = await scanFolder(dir);
  const detection = decideFormat({ dir, scores: scan.scores, sqlFiles: scan.sqlFiles, tables: [], explicit: format, evidence: scan });
  if (tracksOneVersion(detection.format) || !scan.exists) return { listing: await golangMigrateSource.read(dir), format: detection.format };
  const [{ FORMAT_MODULES }, { toSourceListing }] = await Promise.all([import('../../formats/registry.js'), import('../ledger/status.js')]);
  return { listing: toSourceListing(await FORMAT_MODULES[detection.format].readSource(dir)), format: detection.format };
}
