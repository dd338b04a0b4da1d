import { countOf, filesPhrase, markedShare, type FormatDetector } from '../detector.js';
import { parsePlainName, ROLLBACKS_DIR } from './parse-name.js';
import { PLAIN_TABLE } from './sql.js';

/** Plain-SQL projects: 001_name.sql with 001_rollback.sql (or rollbacks/); Ladder's table (id, version integer, description, ...). */
export const plainDetector: FormatDetector = {
  name: 'plain',
  article: 'a',
  tableName: PLAIN_TABLE,
  // the plain-SQL table: (id serial, version integer, description, applied_at, applied_by, success)
  tableShape: (c) => c.get('version') === 'integer' && c.has('description') && c.has('success') && !c.has('dirty'),
  tablePhrase: (table) => `${table} has the plain-SQL tracking table's shape (version integer, description, success)`,
  tally() {
    let matched = 0;
    let rollbacks = 0;
    let breaker = false;
    let rollbacksDir = false;
    return {
      file(f, sql) {
        if (!sql) return;
        const kind = parsePlainName(f).kind;
        if (kind === 'error') breaker = true;
        else if (kind !== 'skip') {
          matched++;
          if (kind === 'down') rollbacks++;
        }
      },
      folder(name) {
        if (name === ROLLBACKS_DIR) rollbacksDir = true;
      },
      done(scan) {
        scan.matched.plain = matched;
        if (rollbacks > 0) scan.plainRollbacks = rollbacks;
        if (rollbacksDir) scan.plainRollbacksDir = true;
      },
      score: (scan) => (breaker ? 0 : (scan.matched.plain / scan.sqlFiles) * (1 - markedShare(scan))),
    };
  },
  folderPhrase(i) {
    const rollbacks = i.evidence?.plainRollbacks ?? 0;
    const also =
      (rollbacks > 0 ? `, ${rollbacks} of them rollback scripts (sqlx would take each for a second migration of the same number)` : '') +
      (i.evidence?.plainRollbacksDir ? `; rollback scripts are kept in ${ROLLBACKS_DIR}/` : '');
    return `${filesPhrase(countOf(i, 'plain'), i.sqlFiles)} numbered plain-SQL scripts (001_name.sql)${also}`;
  },
};
