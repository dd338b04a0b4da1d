import type { FormatModule } from '../driver.js';
import { sqlxNewFiles } from './new-file.js';
import { parseSqlxName } from './parse-name.js';
import { readSqlxSource } from './source.js';
import { SQLX_TABLE } from './sql.js';
import { sqlxTracker } from './tracker.js';
import { sqlxRules } from './rules.js';

export { parseSqlxName, parseI64, sqlxNoTransaction, NO_TRANSACTION_MARKER, type SqlxMigrationType, type SqlxName } from './parse-name.js';
export { sqlxChecksum } from './checksum.js';
export { sqlxLockId, SQLX_LOCK_SALT } from './lock-id.js';
export { readSqlxSource, type SqlxFile, type SqlxListing, type SqlxMigration } from './source.js';
export { sqlxTracker, type SqlxRow, type SqlxTracker } from './tracker.js';
export * as sqlxSql from './sql.js';
export {
  sqlxChecksumMismatches,
  sqlxDirtyVersion,
  sqlxInfoLines,
  sqlxMessages,
  sqlxRevertPlan,
  sqlxRunPlan,
  type ChecksumMismatch,
  type SqlxPlanOptions,
  type SqlxRevertPlan,
  type SqlxRunPlan,
} from './status.js';

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

export const sqlxFormat: FormatModule = {
  name: 'sqlx',
  defaultDir: 'migrations',
  folderScore: sqlxFolderScore,
  tableName: SQLX_TABLE,
  readSource: readSqlxSource,
  tracker: sqlxTracker,
  rules: sqlxRules,
  newMigration: (name, o) => sqlxNewFiles(name, { now: o.now, existing: o.existing.filter((f) => !f.includes('/')), sequential: o.sequential || undefined }).files,
  lockNote: "Ladder takes the advisory lock sqlx's library takes (Migrator::run in an app), so they exclude each other; the sqlx CLI itself takes no lock.",
};
