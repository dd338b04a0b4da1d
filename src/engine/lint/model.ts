import { alterCmds, notNullCheckColumn, relOf, strings, typeOf, type Node, type RelName } from './ast.js';
import type { ColumnType, DbFacts, TableFacts } from './types.js';

/** A table as the files seen so far leave it. */
export interface KnownTable {
  schema: string;
  name: string;
  /** db: in the live database; folder: created by an earlier migration; here: by the migration being linted. */
  origin: 'db' | 'folder' | 'here';
  facts?: TableFacts;
  columns: Map<string, ColumnType | undefined>;
  notNullChecked: Set<string>;
  /** Constraint name -> the column a CHECK (col IS NOT NULL) NOT VALID covers, until it is validated. */
  pendingChecks: Map<string, string>;
}

/** Whether a table holds rows: evidence from the live database, or unknown. */
export interface Rows {
  some: boolean | null;
  text: string;
}

/**
 * The schema as the migrations run: the live tables first, then what each file creates, drops and
 * renames. Only what the rules ask about is kept (tables, column types, NOT NULL checks).
 */
export class SchemaModel {
  private tables = new Map<string, KnownTable>();
  private readonly defaultSchema: string;

  constructor(private readonly db?: DbFacts) {
    this.defaultSchema = db?.searchPath[0] ?? 'public';
    for (const [key, f] of db?.tables ?? []) {
      this.tables.set(key, { schema: f.schema, name: f.name, origin: 'db', facts: f, columns: new Map(f.columns), notNullChecked: new Set(f.notNullChecked), pendingChecks: new Map() });
    }
  }

  /** A copy to lint a down against, so its drops do not change what later files see. */
  fork(): SchemaModel {
    const copy = new SchemaModel(this.db);
    copy.tables = new Map();
    for (const [k, t] of this.tables) copy.tables.set(k, { ...t, columns: new Map(t.columns), notNullChecked: new Set(t.notNullChecked), pendingChecks: new Map(t.pendingChecks) });
    return copy;
  }

  /** A new migration starts: what the previous one created is now "created by an earlier migration". */
  nextMigration(): void {
    for (const t of this.tables.values()) if (t.origin === 'here') t.origin = t.facts ? 'db' : 'folder';
  }

  get(r: RelName | undefined): KnownTable | undefined {
    if (!r) return undefined;
    if (r.schema) return this.tables.get(`${r.schema}.${r.name}`);
    for (const s of this.db?.searchPath ?? [this.defaultSchema]) {
      const t = this.tables.get(`${s}.${r.name}`);
      if (t) return t;
    }
    return this.tables.get(`${this.defaultSchema}.${r.name}`);
  }

  /** An existing table users may depend on: in the database, or created by an earlier migration. */
  existing(r: RelName | undefined): KnownTable | undefined {
    const t = this.get(r);
    return t && t.origin !== 'here' ? t : undefined;
  }

  rows(t: KnownTable): Rows {
    if (!t.facts) return { some: null, text: `${t.name} is created by an earlier migration, so how many rows it will hold is not known here` };
    const f = t.facts;
    if (f.estimate !== null && f.estimate >= 1) return { some: true, text: `${t.name} has about ${formatCount(f.estimate)} rows (pg_class.reltuples)` };
    if (f.hasRows === true) return { some: true, text: `${t.name} has rows (${f.estimate === null ? 'never analyzed, so no estimate' : 'the estimate is stale'})` };
    if (f.hasRows === false) return { some: false, text: `${t.name} is empty` };
    return { some: null, text: `${t.name}'s rows could not be read` };
  }

  /** Updates the model after a statement ran. */
  apply(kind: string, n: Node): void {
    switch (kind) {
      case 'CreateStmt': {
        const r = relOf(n.relation);
        if (!r || (n.if_not_exists && this.get(r))) return;
        // Linting applied files (--all): the live table keeps its facts, but counts as created here.
        const live = this.get(r)?.facts;
        const t = this.add(r);
        if (live) t.facts = live;
        for (const elt of n.tableElts ?? []) {
          if (elt.ColumnDef) t.columns.set(elt.ColumnDef.colname, typeOf(elt.ColumnDef.typeName));
          if (elt.Constraint) this.addConstraint(t, elt.Constraint);
        }
        return;
      }
      case 'CreateTableAsStmt': {
        const r = relOf(n.into?.rel);
        if (r) this.add(r);
        return;
      }
      case 'DropStmt':
        if (n.removeType !== 'OBJECT_TABLE') return;
        for (const o of n.objects ?? []) {
          const parts = strings(o.List?.items);
          const r = parts.length > 1 ? { schema: parts[parts.length - 2], name: parts[parts.length - 1]! } : { name: parts[0] ?? '' };
          this.remove(r);
        }
        return;
      case 'RenameStmt': {
        const t = this.get(relOf(n.relation));
        if (!t) return;
        if (n.renameType === 'OBJECT_TABLE') {
          this.tables.delete(`${t.schema}.${t.name}`);
          t.name = n.newname;
          this.tables.set(`${t.schema}.${t.name}`, t);
        } else if (n.renameType === 'OBJECT_COLUMN') {
          t.columns.set(n.newname, t.columns.get(n.subname));
          t.columns.delete(n.subname);
        }
        return;
      }
      case 'AlterTableStmt': {
        const t = this.get(relOf(n.relation));
        if (!t) return;
        for (const c of alterCmds(n)) {
          if (c.subtype === 'AT_AddColumn' && c.def?.ColumnDef) t.columns.set(c.def.ColumnDef.colname, typeOf(c.def.ColumnDef.typeName));
          else if (c.subtype === 'AT_DropColumn') t.columns.delete(c.name);
          else if (c.subtype === 'AT_AlterColumnType') t.columns.set(c.name, typeOf(c.def?.ColumnDef?.typeName));
          else if (c.subtype === 'AT_AddConstraint' && c.def?.Constraint) this.addConstraint(t, c.def.Constraint);
          else if (c.subtype === 'AT_ValidateConstraint') {
            const col = t.pendingChecks.get(c.name);
            if (col) t.notNullChecked.add(col);
          }
        }
        return;
      }
    }
  }

  private addConstraint(t: KnownTable, con: Node): void {
    if (con.contype !== 'CONSTR_CHECK') return;
    const col = notNullCheckColumn(con.raw_expr);
    if (!col) return;
    if (con.skip_validation) {
      if (con.conname) t.pendingChecks.set(con.conname, col);
    } else t.notNullChecked.add(col);
  }

  private add(r: RelName): KnownTable {
    const schema = r.schema ?? this.defaultSchema;
    const t: KnownTable = { schema, name: r.name, origin: 'here', columns: new Map(), notNullChecked: new Set(), pendingChecks: new Map() };
    this.tables.set(`${schema}.${r.name}`, t);
    return t;
  }

  private remove(r: RelName): void {
    const t = this.get(r);
    if (t) this.tables.delete(`${t.schema}.${t.name}`);
  }
}

/** 2300000 -> "2.3 M", 12000 -> "12 k", 42 -> "42". */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1).replace(/\.0$/, '')} M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)} k`;
  return String(Math.round(n));
}
