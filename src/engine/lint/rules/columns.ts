import { alterCmds, constraintsOf, functionsCalled, isSerial, relText, typeOf, type Node } from '../ast.js';
import type { ColumnType, DbFacts } from '../types.js';
import { alteredTableWithRows, report, type Rule } from './rule.js';

function addedColumns(node: Node): Node[] {
  return alterCmds(node)
    .filter((c) => c.subtype === 'AT_AddColumn' && c.def?.ColumnDef)
    .map((c) => c.def.ColumnDef);
}

/** ADD COLUMN ... NOT NULL with nothing to fill the existing rows: fails on a table with rows. */
export const addColumnNotNull: Rule = {
  code: 'add-column-not-null',
  summary: 'ADD COLUMN ... NOT NULL without a default on an existing table: fails when it has rows',
  check({ kind, node, model }) {
    const target = alteredTableWithRows(kind, node, model);
    if (!target) return [];
    const { t, rows } = target;
    const out = [];
    for (const col of addedColumns(node)) {
      const cons = constraintsOf(col).map((c) => c.contype as string);
      const notNull = cons.includes('CONSTR_NOTNULL') || cons.includes('CONSTR_PRIMARY');
      const filled = cons.some((c) => c === 'CONSTR_DEFAULT' || c === 'CONSTR_IDENTITY' || c === 'CONSTR_GENERATED') || isSerial(col.typeName);
      if (!notNull || filled) continue;
      out.push(
        report(
          this.code,
          rows.some ? 'error' : 'warning',
          rows.some
            ? `The existing rows get NULL in ${col.colname}, which NOT NULL forbids: PostgreSQL will refuse this ("column "${col.colname}" of relation "${t.name}" contains null values"); ${rows.text}.`
            : `On a table with rows this fails (the existing rows would get NULL in ${col.colname}); ${rows.text}.`,
          `Add the column with a constant default (ADD COLUMN ${col.colname} ... NOT NULL DEFAULT <value>, instant since PostgreSQL 11), or add it nullable, backfill it in batches, then SET NOT NULL after a validated CHECK (${col.colname} IS NOT NULL).`,
        ),
      );
    }
    return out;
  },
};

/** Functions PostgreSQL marks volatile that migrations use in defaults (used when not connected). */
const KNOWN_VOLATILE = new Set(['random', 'clock_timestamp', 'timeofday', 'gen_random_uuid', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4', 'nextval', 'setseed', 'txid_current', 'uuidv4', 'uuidv7']);

function volatileCall(expr: Node | undefined, db: DbFacts | undefined): string | undefined {
  return functionsCalled(expr).find((f) => (db?.volatility.get(f) ?? (KNOWN_VOLATILE.has(f) ? 'v' : 'i')) === 'v');
}

/** A default PostgreSQL cannot store once in the catalog: every row is rewritten under ACCESS EXCLUSIVE. */
export const rewritingDefault: Rule = {
  code: 'rewriting-default',
  summary: 'ADD COLUMN with a volatile default (random(), gen_random_uuid(), a serial, a stored generated column) rewrites the table',
  check({ kind, node, model, db }) {
    const target = alteredTableWithRows(kind, node, model);
    if (!target) return [];
    const { r, rows } = target;
    const out = [];
    for (const col of addedColumns(node)) {
      const cons = constraintsOf(col);
      const def = cons.find((c) => c.contype === 'CONSTR_DEFAULT');
      const vol = def ? volatileCall(def.raw_expr, db) : undefined;
      const why = vol
        ? `its default calls ${vol}(), which is volatile, so every existing row gets its own value`
        : isSerial(col.typeName)
          ? 'a serial column takes nextval() for every existing row'
          : cons.some((c) => c.contype === 'CONSTR_IDENTITY')
            ? 'an identity column takes a sequence value for every existing row'
            : cons.some((c) => c.contype === 'CONSTR_GENERATED')
              ? 'a stored generated column is computed for every existing row'
              : def && db && db.serverVersionNum < 110000 && !isNullConst(def.raw_expr)
                ? `this server is PostgreSQL ${Math.floor(db.serverVersionNum / 10000)}, which writes any default into every row (instant only from PostgreSQL 11)`
                : undefined;
      if (!why) continue;
      out.push(
        report(
          this.code,
          'warning',
          `Adding ${col.colname} rewrites ${relText(r!)} under an ACCESS EXCLUSIVE lock (reads and writes wait until it is done): ${why}; ${rows.text}.`,
          `Add ${col.colname} without the default (or with a constant one), then SET DEFAULT for new rows and backfill the existing rows in batches.`,
        ),
      );
    }
    return out;
  },
};

function isNullConst(expr: Node | undefined): boolean {
  return Boolean(expr?.A_Const?.isnull);
}

/** Type changes PostgreSQL makes without touching the rows (binary coercible, wider modifiers). */
export function typeChangeRewrites(from: ColumnType, to: ColumnType): boolean {
  if (from.array !== to.array) return true;
  const widerOrUnbounded = () => to.mods.length === 0 || (from.mods.length > 0 && to.mods[0]! >= from.mods[0]!);
  if (from.type === to.type) {
    if (from.type === 'varchar' || from.type === 'varbit') return !widerOrUnbounded();
    if (from.type === 'numeric') {
      if (to.mods.length === 0) return false;
      if (from.mods.length === 0) return true;
      return !(to.mods[0]! >= from.mods[0]! && (to.mods[1] ?? 0) === (from.mods[1] ?? 0));
    }
    return from.mods.join(',') !== to.mods.join(',');
  }
  if (from.type === 'varchar' && to.type === 'text') return false;
  if (from.type === 'text' && to.type === 'varchar' && to.mods.length === 0) return false;
  if (from.type === 'cidr' && to.type === 'inet') return false;
  return true;
}

function typeText(t: ColumnType): string {
  return `${t.type}${t.mods.length > 0 ? `(${t.mods.join(',')})` : ''}${t.array ? '[]' : ''}`;
}

export const alterColumnType: Rule = {
  code: 'alter-column-type',
  summary: 'ALTER COLUMN ... TYPE that rewrites the table (anything but a binary-coercible change such as varchar(n) to varchar(m>n) or text)',
  check({ kind, node, model }) {
    const target = alteredTableWithRows(kind, node, model);
    if (!target) return [];
    const { r, t, rows } = target;
    const out = [];
    for (const c of alterCmds(node)) {
      if (c.subtype !== 'AT_AlterColumnType') continue;
      const to = typeOf(c.def?.ColumnDef?.typeName);
      const from = t.columns.get(c.name);
      const using = Boolean(c.def?.ColumnDef?.raw_default);
      if (to && from && !using && !typeChangeRewrites(from, to)) continue;
      const what =
        from && to
          ? `changing ${c.name} from ${typeText(from)} to ${typeText(to)}${using ? ' with USING' : ''} rewrites every row and rebuilds its indexes`
          : `the current type of ${c.name} is not known here, so this may rewrite every row and rebuild its indexes`;
      out.push(
        report(
          this.code,
          'warning',
          `Under an ACCESS EXCLUSIVE lock on ${relText(r!)} (reads and writes wait), ${what}; ${rows.text}.`,
          `Add a new column of the new type, fill it in batches (and keep it in step with a trigger), then switch readers and drop the old column; only binary-coercible changes (varchar(n) to varchar(m>n) or text, numeric(p,s) to numeric(q>p,s)) are instant.`,
        ),
      );
    }
    return out;
  },
};

export const setNotNull: Rule = {
  code: 'set-not-null',
  summary: 'SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL) first scans it under ACCESS EXCLUSIVE',
  check({ kind, node, model, db }) {
    const target = alteredTableWithRows(kind, node, model);
    if (!target) return [];
    const { r, t, rows } = target;
    const oldServer = db !== undefined && db.serverVersionNum < 120000;
    const out = [];
    for (const c of alterCmds(node)) {
      if (c.subtype !== 'AT_SetNotNull') continue;
      if (t.notNullChecked.has(c.name) && !oldServer) continue;
      out.push(
        report(
          this.code,
          'warning',
          `SET NOT NULL reads every row of ${relText(r!)} to prove ${c.name} has no NULL, holding an ACCESS EXCLUSIVE lock (reads and writes wait)${oldServer ? '; this server is older than PostgreSQL 12, which cannot use a CHECK to skip the scan' : ''}; ${rows.text}.`,
          `First ALTER TABLE ${relText(r!)} ADD CONSTRAINT ${c.name}_not_null CHECK (${c.name} IS NOT NULL) NOT VALID; then VALIDATE CONSTRAINT ${c.name}_not_null (no write lock); then SET NOT NULL (PostgreSQL 12+ uses the check and skips the scan) and drop the check.`,
        ),
      );
    }
    return out;
  },
};
