import { countOf, filesPhrase, type FormatDetector } from '../detector.js';
import { isFlywayMigrationName } from './score.js';
import { FLYWAY_TABLE } from './sql.js';

const FLYWAY_PREFIX = /^[VUR]/;

/** Flyway's files: V1__name.sql, U1__name.sql, R__name.sql, also in subfolders; its table: flyway_schema_history. */
export const flywayDetector: FormatDetector = {
  name: 'flyway',
  article: 'a',
  tableName: FLYWAY_TABLE,
  tableShape: (c) => c.has('installed_rank') && c.has('script') && c.has('success'),
  tablePhrase: (table) => `${table} is Flyway's tracking table`,
  readsSubfolders: true,
  tally() {
    let matched = 0;
    return {
      // Flyway's prefixes are V, U and R (case-sensitive): other names cannot be its migrations.
      file(f, sql) {
        if (sql && FLYWAY_PREFIX.test(f) && isFlywayMigrationName(f)) matched++;
      },
      done(scan) {
        scan.matched.flyway = matched;
      },
      score: (scan) => scan.matched.flyway / scan.sqlFiles,
    };
  },
  folderPhrase: (i) => `${filesPhrase(countOf(i, 'flyway'), i.sqlFiles)} named like Flyway's (V1__name.sql / R__name.sql)`,
};
