import { strings, type Node } from '../ast.js';
import { report, type Rule } from './rule.js';

function usesString(node: unknown, value: string): boolean {
  if (!node || typeof node !== 'object') return false;
  const n = node as Node;
  if (n.A_Const?.sval?.sval === value) return true;
  return Object.values(n).some((v) => usesString(v, value));
}

/** ALTER TYPE ... ADD VALUE: refused in a transaction before PostgreSQL 12; after, the new value is unusable until commit. */
export const enumAddValue: Rule = {
  code: 'enum-add-value-in-transaction',
  summary: 'ALTER TYPE ... ADD VALUE in a transaction: refused before PostgreSQL 12; the new value cannot be used before commit',
  check({ kind, node, transaction, db, file, stmt }) {
    if (kind !== 'AlterEnumStmt' || !node.newVal || node.oldVal || transaction === null) return [];
    const type = strings(node.typeName).join('.');
    const fix = `Add the value in a migration of its own that runs outside a transaction, and use it from the next migration on.`;
    if (db && db.serverVersionNum < 120000)
      return [report(this.code, 'error', `This server is PostgreSQL ${Math.floor(db.serverVersionNum / 10000)}, which refuses ALTER TYPE ... ADD VALUE inside a transaction block, and ${transaction}: the migration fails.`, fix)];
    const later = file.parsed.ok ? file.parsed.statements.slice(stmt.index + 1).find((s) => usesString(s.node, node.newVal)) : undefined;
    if (later)
      return [
        report(this.code, 'error', `'${node.newVal}' is used at line ${later.startLine + file.lineOffset} in the same transaction (${transaction}): PostgreSQL refuses a new enum value of ${type} before it commits ("unsafe use of new value").`, fix),
      ];
    if (!db) return [report(this.code, 'warning', `${transaction[0]!.toUpperCase()}${transaction.slice(1)}: PostgreSQL before 12 refuses ALTER TYPE ... ADD VALUE there (no database connection tells this server's version).`, fix)];
    return [];
  },
};
