import { parseSqlxName } from './parse-name.js';

/**
 * Name-only score in [0, 0.5]: the share of .sql files sqlx takes as migrations. Capped at 0.5 because
 * the same names are dbmate's (`<digits>_<name>.sql`) and golang-migrate's (`.up.sql`/`.down.sql`);
 * the `_sqlx_migrations` table is what tells sqlx apart. 0 when any name would make sqlx's resolve fail
 * (e.g. Flyway's `V1__x.sql`: "V1" is not an integer).
 */
export function sqlxFolderScore(fileNames: string[]): number {
  const sql = fileNames.filter((f) => f.toLowerCase().endsWith('.sql'));
  if (sql.length === 0) return 0;
  let matched = 0;
  for (const f of fileNames) {
    const parsed = parseSqlxName(f);
    if (parsed.kind === 'error') return 0;
    if (parsed.kind === 'migration') matched++;
  }
  return (0.5 * matched) / sql.length;
}

