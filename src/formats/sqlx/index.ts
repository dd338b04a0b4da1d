import type { SetFormatModule } from '../driver.js';
import { sqlxDetector } from './detector.js';
import { sqlxNewFiles } from './new-file.js';
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

export { sqlxFolderScore } from './score.js';
import { sqlxFolderScore } from './score.js';

export const sqlxFormat: SetFormatModule = {
  detector: sqlxDetector,
  model: 'rows',
  versionType: 'text',
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
