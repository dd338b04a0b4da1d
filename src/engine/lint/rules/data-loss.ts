import { alterCmds, relOf, relText, strings, type Node, type RelName } from '../ast.js';
import type { SchemaModel } from '../model.js';
import { report, type Rule } from './rule.js';
import type { RuleReport } from '../types.js';

function dropped(node: Node): RelName[] {
  return (node.objects ?? []).map((o: Node) => {
    const parts = strings(o.List?.items);
    return parts.length > 1 ? { schema: parts[parts.length - 2], name: parts[parts.length - 1]! } : { name: parts[0] ?? '' };
  });
}

function loss(code: string, model: SchemaModel, r: RelName | undefined, what: string): RuleReport[] {
  const t = model.existing(r);
  if (!t) return [];
  const rows = model.rows(t);
  if (rows.some === false) return [];
  return [
    report(
      code,
      rows.some ? 'error' : 'warning',
      `${what}: the data is gone once this commits (downs included); ${rows.text}.`,
      `Take a backup first (pg_dump -t ${relText(r!)}), or keep the data: rename it aside and drop it in a later migration once nothing reads it. Suppress with "-- ladder:ignore drop-data <reason>" when the loss is intended.`,
    ),
  ];
}

/** DROP TABLE, DROP COLUMN and TRUNCATE on a table that holds data. */
export const dropData: Rule = {
  code: 'drop-data',
  summary: 'DROP TABLE, DROP COLUMN or TRUNCATE on a table with rows (the live estimate from pg_class.reltuples), in ups and downs',
  check({ kind, node, model }) {
    if (kind === 'DropStmt' && node.removeType === 'OBJECT_TABLE') return dropped(node).flatMap((r) => loss(this.code, model, r, `Drops table ${relText(r)} with every row in it`));
    if (kind === 'TruncateStmt')
      return (node.relations ?? []).flatMap((x: Node) => {
        const r = relOf(x.RangeVar);
        return r ? loss(this.code, model, r, `Deletes every row of ${relText(r)}`) : [];
      });
    if (kind === 'AlterTableStmt') {
      const r = relOf(node.relation);
      return alterCmds(node)
        .filter((c) => c.subtype === 'AT_DropColumn')
        .flatMap((c) => loss(this.code, model, r, `Drops column ${c.name} of ${relText(r!)} and its values`));
    }
    return [];
  },
};

export const unboundedWrite: Rule = {
  code: 'update-without-where',
  summary: 'UPDATE or DELETE without WHERE on an existing table touches every row',
  check({ kind, node, model }) {
    if ((kind !== 'UpdateStmt' && kind !== 'DeleteStmt') || node.whereClause) return [];
    const r = relOf(node.relation);
    const t = model.existing(r);
    if (!t) return [];
    const rows = model.rows(t);
    if (rows.some === false) return [];
    const del = kind === 'DeleteStmt';
    return [
      report(
        this.code,
        del && rows.some ? 'error' : 'warning',
        del
          ? `DELETE without WHERE removes every row of ${relText(r!)}; ${rows.text}.`
          : `UPDATE without WHERE rewrites every row of ${relText(r!)} in one transaction, locking them all until it commits; ${rows.text}.`,
        del ? `Add the WHERE that says which rows go (or TRUNCATE if all must, after a backup).` : `Add a WHERE, and update a large table in batches (WHERE id BETWEEN ...) so each batch commits quickly.`,
      ),
    ];
  },
};

export const rename: Rule = {
  code: 'rename',
  summary: 'renaming a table or column that already exists breaks the code still running against the old name',
  check({ kind, node, model }) {
    if (kind !== 'RenameStmt' || (node.renameType !== 'OBJECT_TABLE' && node.renameType !== 'OBJECT_COLUMN')) return [];
    const r = relOf(node.relation);
    if (!model.existing(r)) return [];
    const col = node.renameType === 'OBJECT_COLUMN';
    return [
      report(
        this.code,
        'warning',
        `Renaming ${col ? `column ${node.subname} of ${relText(r!)}` : `table ${relText(r!)}`} to ${node.newname} breaks every running query that still uses the old name, the moment this commits.`,
        col
          ? `Add the new column, write both, backfill, move readers, then drop the old one; or deploy code that reads both names first.`
          : `Rename and leave a view under the old name (CREATE VIEW ${r!.name} AS SELECT * FROM ${node.newname}) until no code uses it.`,
      ),
    ];
  },
};
