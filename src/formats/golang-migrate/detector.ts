import { countOf, filesPhrase, type FormatDetector } from '../detector.js';
import { isMigrationName } from './parse-name.js';
import { resolveTable } from './tracker.js';

/** golang-migrate's files: `^([0-9]+)_(.*)\.(down|up)\.(.*)$`; its table: (version bigint, dirty boolean). */
export const golangMigrateDetector: FormatDetector = {
  name: 'golang-migrate',
  article: 'a',
  tableName: 'schema_migrations',
  // CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null)
  tableShape: (c) => (c.get('version') === 'bigint' || c.get('version') === 'integer') && c.get('dirty') === 'boolean',
  tableFromUrl: (o) => resolveTable('', o),
  tablePhrase: (table) => `${table} has golang-migrate's shape`,
  tally() {
    let matched = 0;
    let sqlxShaped = true;
    return {
      file(f, sql) {
        if (!sql || !isMigrationName(f)) return;
        matched++;
        const digits = f.indexOf('_');
        if (digits !== 14 && digits !== 4) sqlxShaped = false;
      },
      done(scan) {
        scan.matched['golang-migrate'] = matched;
        if (matched > 0 && sqlxShaped) scan.pairsSqlxShaped = true;
      },
      score: (scan) => scan.matched['golang-migrate'] / scan.sqlFiles,
    };
  },
  folderPhrase: (i) => `${filesPhrase(countOf(i, 'golang-migrate'), i.sqlFiles)} named like golang-migrate's (1_name.up.sql / 1_name.down.sql)`,
};
