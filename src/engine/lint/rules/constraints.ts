import { alterCmds, constraintsOf, relOf, relText } from '../ast.js';
import { alteredTableWithRows, report, type Rule } from './rule.js';

/** ADD FOREIGN KEY / CHECK validates every row under its lock unless NOT VALID. */
export const constraintNotValid: Rule = {
  code: 'constraint-not-valid',
  summary: 'a foreign key or CHECK added to an existing table without NOT VALID scans it under lock',
  check({ kind, node, model }) {
    const target = alteredTableWithRows(kind, node, model);
    if (!target) return [];
    const { r, rows } = target;
    const out = [];
    for (const c of alterCmds(node)) {
      // ADD COLUMN ... DEFAULT x REFERENCES t: every existing row gets x, and each is checked under the lock.
      const col = c.subtype === 'AT_AddColumn' ? c.def?.ColumnDef : undefined;
      const inline = col ? constraintsOf(col) : [];
      const ref = inline.find((k) => k.contype === 'CONSTR_FOREIGN');
      if (ref && inline.some((k) => k.contype === 'CONSTR_DEFAULT' && !k.raw_expr?.A_Const?.isnull)) {
        out.push(
          report(
            this.code,
            'warning',
            `Adding ${col.colname} with a default and REFERENCES ${relText(relOf(ref.pktable) ?? { name: '?' })} checks that default for every existing row of ${relText(r!)} while both tables are locked against writes; ${rows.text}.`,
            `Add the column without REFERENCES, then ADD CONSTRAINT ... FOREIGN KEY (${col.colname}) REFERENCES ... NOT VALID, then VALIDATE CONSTRAINT in a later migration.`,
          ),
        );
      }
      const con = c.def?.Constraint;
      if (c.subtype !== 'AT_AddConstraint' || !con || con.skip_validation) continue;
      if (con.contype !== 'CONSTR_FOREIGN' && con.contype !== 'CONSTR_CHECK') continue;
      const fk = con.contype === 'CONSTR_FOREIGN';
      out.push(
        report(
          this.code,
          'warning',
          fk
            ? `Adding this foreign key checks every row of ${relText(r!)} while holding a SHARE ROW EXCLUSIVE lock on it and on ${relText(relOf(con.pktable) ?? { name: '?' })} (writes to both wait); ${rows.text}.`
            : `Adding this CHECK reads every row of ${relText(r!)} under an ACCESS EXCLUSIVE lock (reads and writes wait); ${rows.text}.`,
          `ADD CONSTRAINT ${con.conname ?? 'name'} ... NOT VALID (instant; new rows are checked), then ALTER TABLE ${relText(r!)} VALIDATE CONSTRAINT ${con.conname ?? 'name'} (checks old rows without blocking writes), ideally in a later migration.`,
        ),
      );
    }
    return out;
  },
};

/** ADD UNIQUE / PRIMARY KEY builds its index under ACCESS EXCLUSIVE unless it takes a prebuilt one. */
export const uniqueWithoutIndex: Rule = {
  code: 'unique-without-index',
  summary: 'a UNIQUE or PRIMARY KEY constraint added to an existing table without a concurrently built index',
  check({ kind, node, model }) {
    const target = alteredTableWithRows(kind, node, model);
    if (!target) return [];
    const { r, rows } = target;
    const out = [];
    for (const c of alterCmds(node)) {
      const con = c.def?.Constraint;
      if (c.subtype !== 'AT_AddConstraint' || !con || con.indexname) continue;
      if (con.contype !== 'CONSTR_UNIQUE' && con.contype !== 'CONSTR_PRIMARY') continue;
      const kw = con.contype === 'CONSTR_UNIQUE' ? 'UNIQUE' : 'PRIMARY KEY';
      out.push(
        report(
          this.code,
          'warning',
          `Adding this ${kw} constraint builds its index while holding an ACCESS EXCLUSIVE lock on ${relText(r!)} (reads and writes wait); ${rows.text}.`,
          `CREATE UNIQUE INDEX CONCURRENTLY idx ON ${relText(r!)} (...) in a migration run outside a transaction, then ALTER TABLE ${relText(r!)} ADD CONSTRAINT ${con.conname ?? 'name'} ${kw} USING INDEX idx.`,
        ),
      );
    }
    return out;
  },
};
