import type { VersionFormatModule } from '../driver.js';
import { golangMigrateDetector } from './detector.js';
import { golangMigrateSource } from './source.js';
import { golangMigrateTracker, resolveTable } from './tracker.js';
import { golangMigrateRules } from './rules.js';
import { golangMigrateNewFiles } from './new-file.js';
import { isMigrationName } from './parse-name.js';

export { golangMigrateSource } from './source.js';
export { golangMigrateTracker, resolveTable } from './tracker.js';
export { golangMigrateRules, fitsBigint } from './rules.js';

/** The share of .sql files named as golang-migrate names migrations (`^([0-9]+)_(.*)\.(down|up)\.(.*)$`). */
export function golangMigrateNameScore(fileNames: string[]): number {
  const sql = fileNames.filter((f) => /\.sql$/i.test(f));
  return sql.length === 0 ? 0 : sql.filter(isMigrationName).length / sql.length;
}

export const golangMigrateFormat: VersionFormatModule = {
  name: 'golang-migrate',
  detector: golangMigrateDetector,
  model: 'version',
  versionType: 'bigint',
  defaultDir: 'migrations',
  folderScore: golangMigrateNameScore,
  tableName: 'schema_migrations',
  readSource: (dir) => golangMigrateSource.read(dir),
  // The schema of x-migrations-table-quoted wins over current_schema(); the lock is named after the URL path ("/mydb"), as golang-migrate's CLI names it.
  tracker: (o) => golangMigrateTracker(resolveTable(o.schema, o.urlTable ?? {}), o.urlPath ?? `/${o.databaseName}`),
  rules: golangMigrateRules,
  newMigration: (name, o) => golangMigrateNewFiles(name, { ...o, existing: o.existing.filter((f) => !f.includes('/')) }),
  lockNote: "Ladder takes golang-migrate's advisory lock, so the two exclude each other.",
};
