import { relOf, relText } from '../ast.js';
import { report, type Rule } from './rule.js';

/** CREATE INDEX without CONCURRENTLY takes a SHARE lock: writes wait until the index is built. */
export const indexNotConcurrent: Rule = {
  code: 'index-not-concurrent',
  summary: 'CREATE INDEX without CONCURRENTLY on a table that already exists blocks its writes while it builds',
  check({ kind, node, model }) {
    if (kind !== 'IndexStmt' || node.concurrent) return [];
    const r = relOf(node.relation);
    const t = model.existing(r);
    if (!t) return [];
    const rows = model.rows(t);
    if (rows.some === false) return [];
    return [
      report(
        this.code,
        'warning',
        `Building this index locks ${relText(r!)} against INSERT, UPDATE and DELETE until it is done; ${rows.text}.`,
        `CREATE ${node.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ... in a migration of its own that the tool runs outside a transaction (it builds without blocking writes; if it fails, drop the INVALID index and retry).`,
      ),
    ];
  },
};

/** CONCURRENTLY (and the other statements PostgreSQL refuses in a transaction) where the tool runs one. */
export const concurrentlyInTransaction: Rule = {
  code: 'concurrently-in-transaction',
  summary: 'CONCURRENTLY (or VACUUM, ...) where the tool runs the file in a transaction or as one multi-statement query: it fails',
  check({ stmt, transaction, kind }) {
    if (!stmt.nonTransactional || transaction === null) return [];
    const what = kind === 'IndexStmt' ? 'CREATE INDEX CONCURRENTLY' : kind === 'DropStmt' ? 'DROP INDEX CONCURRENTLY' : kind === 'ReindexStmt' ? 'REINDEX CONCURRENTLY' : 'This statement';
    return [
      report(
        this.code,
        'error',
        `${what} cannot run inside a transaction block, and ${transaction}: PostgreSQL will refuse it ("cannot run inside a transaction block") and the migration fails.`,
        'Put it alone in a migration of its own that the tool runs outside a transaction (dbmate: "-- migrate:up transaction:false"; sqlx: first line "-- no-transaction"; golang-migrate: the only statement in the file).',
      ),
    ];
  },
};
