import { countOf, filesPhrase, markedShare, type FormatDetector } from '../detector.js';
import { sqlxNameKind } from './parse-name.js';
import { SQLX_TABLE } from './sql.js';

/**
 * sqlx's files: 20240101120000_name.sql or .up.sql/.down.sql; its table: _sqlx_migrations. sqlx reads
 * every file name, and one it cannot parse fails its whole resolve; it would run a dbmate file's down
 * section right after its up, and take a plain-SQL rollback script for a second migration.
 */
export const sqlxDetector: FormatDetector = {
  name: 'sqlx',
  article: 'an',
  tableName: SQLX_TABLE,
  tableShape: (c) => c.has('version') && c.has('checksum') && c.has('success'),
  tablePhrase: (table) => `${table} is sqlx's tracking table`,
  tally() {
    let matched = 0;
    let breaker: string | undefined;
    return {
      file(f, sql) {
        const kind = sqlxNameKind(f);
        if (kind === 'error') breaker ??= f;
        if (sql && kind === 'migration') matched++;
      },
      done(scan) {
        scan.matched.sqlx = matched;
        if (breaker !== undefined) scan.sqlxBreaker = breaker;
      },
      score(scan) {
        const score = scan.sqlxBreaker ? 0 : (scan.matched.sqlx / scan.sqlFiles) * (1 - markedShare(scan));
        // A rollback script beside its migration (004_rollback.sql) is a second migration 4 to sqlx, which fails on it.
        return (scan.plainRollbacks ?? 0) > 0 || scan.plainRollbacksDir ? score / 2 : score;
      },
    };
  },
  folderPhrase: (i) => `${filesPhrase(countOf(i, 'sqlx'), i.sqlFiles)} named as sqlx names migrations (20240101120000_name.sql or .up.sql/.down.sql)`,
  mismatchPhrase({ evidence }) {
    if (evidence?.sqlxBreaker !== undefined) return `sqlx cannot read ${evidence.sqlxBreaker} (its version is not an integer)`;
    if (evidence && evidence.matched.sqlx > 0 && evidence.markerSample.marked > 0) return "its .sql files carry dbmate's '-- migrate:up' marker, which sqlx does not understand";
    return undefined;
  },
};
