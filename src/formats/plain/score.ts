import { parsePlainName } from './parse-name.js';

/** The share of .sql files named as plain migrations or their rollback scripts (0 when one does not fit INTEGER). */
export function plainFolderScore(fileNames: string[]): number {
  let sql = 0;
  let matched = 0;
  for (const f of fileNames) {
    if (!f.toLowerCase().endsWith('.sql')) continue;
    sql++;
    const kind = parsePlainName(f).kind;
    if (kind === 'error') return 0;
    if (kind !== 'skip') matched++;
  }
  return sql === 0 ? 0 : matched / sql;
}
