import { readFile } from 'node:fs/promises';
import type { DbState, Migration, Queryable, Version } from '../formats/types.js';
import type { ObjectRef } from '../db/statements.js';
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = Record<string, any>;
import { splitStatements } from '../db/statements.js';
import { objectStates } from '../db/object-check.js';
import type { Project } from './project.js';

/** One object a migration's up SQL leaves behind (or removes), and what the catalog says now. */
export interface BaselineEvidence {
  object: ObjectRef;
  /** What the migration leaves: the object exists (create, alter) or is gone (drop). */
  expected: 'exists' | 'missing';
  /** invalid: an index that exists but is not valid (pg_index.indisvalid), so the migration did not finish it. */
  actual: 'exists' | 'missing' | 'invalid';
}

export interface BaselineMigration {
  version: Version;
  name: string;
  evidence: BaselineEvidence[];
  /** present: every effect is in the catalog; missing: one is not; unknown: nothing the catalog can show. */
  verdict: 'present' | 'missing' | 'unknown';
  /** Why the verdict is unknown (a parse error, data-only statements). */
  note?: string;
}

export interface BaselinePlan {
  /** Recorded as applied, in order. */
  record: BaselineMigration[];
  /** The first pending migration not recorded, with the evidence that stopped the baseline (without V). */
  stoppedAt?: BaselineMigration;
  /** With V: given by the user, so evidence is shown but does not decide. */
  given: boolean;
}

export type BaselineResult = { ok: true; plan: BaselinePlan } | { ok: false; message: string; hint?: string; noChange?: boolean };

/**
 * Which pending migrations a baseline records. With V: every pending migration up to V. Without V: the
 * pending migrations, in order, whose parser-derived effects (objects created, altered, dropped) all hold
 * in the catalog now, stopping at the first that does not or cannot be checked.
 */
export async function planBaseline(project: Project, db: Queryable, state: DbState, version?: Version): Promise<BaselineResult> {
  if (state.dirty)
    return { ok: false, message: `The database is dirty at version ${state.version}: a migration failed part-way.`, hint: 'Resolve that first ("ladder status" says how); a baseline records only clean history.' };
  const status = project.status(state);
  const byVersion = new Map(project.listing.migrations.map((m) => [m.version, m]));
  const pending = status.rows.filter((r) => r.state === 'pending' && !r.repeatable).map((r) => byVersion.get(r.version)).filter((m): m is Migration => m !== undefined);
  if (version !== undefined) {
    const at = pending.findIndex((m) => sameVersion(m.version, version));
    if (at < 0) {
      const row = status.rows.find((r) => sameVersion(r.version, version));
      if (row && row.state !== 'pending') return { ok: false, noChange: true, message: `${row.version} is already ${row.state}.` };
      return { ok: false, message: `No migration ${version} in ${project.listing.dir}.`, hint: 'Baseline V takes the version of a pending migration in the folder ("ladder status" lists them).' };
    }
    const record = [];
    for (const m of pending.slice(0, at + 1)) record.push(await check(db, m));
    return { ok: true, plan: { record, given: true } };
  }
  if (pending.length === 0) return { ok: false, noChange: true, message: 'Nothing is pending, so there is nothing to baseline.' };
  const record: BaselineMigration[] = [];
  for (const m of pending) {
    const checked = await check(db, m);
    if (checked.verdict !== 'present') return { ok: true, plan: { record, stoppedAt: checked, given: false } };
    record.push(checked);
  }
  return { ok: true, plan: { record, given: false } };
}

function sameVersion(a: Version, b: Version): boolean {
  if (a === b) return true;
  return /^\d+$/.test(a) && /^\d+$/.test(b) && BigInt(a) === BigInt(b);
}

/** A migration's net effects on objects, checked in the catalog in one query. */
async function check(db: Queryable, m: Migration): Promise<BaselineMigration> {
  const base = { version: m.version, name: m.name };
  // golang-migrate listings leave the text on disk until a step runs it.
  const sql = m.up?.sql ?? (m.up ? await readFile(m.up.path, 'utf8') : undefined);
  if (sql === undefined) return { ...base, evidence: [], verdict: 'unknown', note: 'it has no up SQL to check' };
  const split = await splitStatements(sql);
  if (!split.ok) return { ...base, evidence: [], verdict: 'unknown', note: `its SQL does not parse (${split.message})` };
  const net = new Map<string, { object: ObjectRef; expected: 'exists' | 'missing' }>();
  for (const s of split.statements)
    for (const o of [...s.objects, ...partsOf(s.kind, s.node)]) net.set(JSON.stringify([o.kind, o.schema, o.name, o.on?.schema, o.on?.name]), { object: o, expected: o.action === 'drop' ? 'missing' : 'exists' });
  const wanted = [...net.values()];
  if (wanted.length === 0) return { ...base, evidence: [], verdict: 'unknown', note: 'it creates no object the catalog can show (data or settings only), so Ladder cannot tell whether it ran' };
  const found = await objectStates(db, wanted.map((w) => w.object));
  // An index left INVALID by a failed CREATE INDEX CONCURRENTLY is not the migration's effect.
  const evidence: BaselineEvidence[] = wanted.map((w, i) => ({ ...w, actual: found[i]!.exists ? (found[i]!.valid === false ? 'invalid' : 'exists') : 'missing' }));
  return { ...base, evidence, verdict: evidence.every((e) => e.actual === e.expected) ? 'present' : 'missing' };
}

/**
 * What a CREATE TABLE or CREATE TYPE ... AS ENUM leaves beyond the object itself: each column, each
 * named constraint, each enum label. A table that exists without one of its columns is not this
 * migration's table.
 */
function partsOf(kind: string, n: Node): ObjectRef[] {
  if (kind === 'CreateStmt' && n.relation?.relname) {
    const on = { ...(n.relation.schemaname ? { schema: n.relation.schemaname as string } : {}), name: n.relation.relname as string };
    const out: ObjectRef[] = [];
    for (const e of n.tableElts ?? []) {
      if (e.ColumnDef) {
        out.push({ kind: 'column', name: e.ColumnDef.colname, on, action: 'create' });
        for (const c of e.ColumnDef.constraints ?? []) if (c.Constraint?.conname) out.push({ kind: 'constraint', name: c.Constraint.conname, on, action: 'create' });
      } else if (e.Constraint?.conname) out.push({ kind: 'constraint', name: e.Constraint.conname, on, action: 'create' });
    }
    return out;
  }
  if (kind === 'CreateEnumStmt') {
    const names = (n.typeName ?? []).map((x: Node) => x.String?.sval as string).filter(Boolean);
    const on = names.length > 1 ? { schema: names[names.length - 2], name: names[names.length - 1] } : { name: names[0] };
    return (n.vals ?? []).map((v: Node) => ({ kind: 'enum value', name: v.String?.sval as string, on, action: 'create' }) as ObjectRef);
  }
  return [];
}

/** "users: exists", "idx_users_email: missing", "old_table: still exists (the migration drops it)". */
export function evidenceLine(e: BaselineEvidence): string {
  const o = e.object;
  const on = o.on ? `${o.on.schema ? `${o.on.schema}.` : ''}${o.on.name}` : '';
  // users.email, users.users_email_key (constraint), mood 'sad' (enum value)
  const name =
    o.kind === 'column'
      ? `${on}.${o.name}`
      : o.kind === 'constraint'
        ? `${on}.${o.name} (constraint)`
        : o.kind === 'enum value'
          ? `${on} '${o.name}'`
          : `${o.schema ? `${o.schema}.` : ''}${o.name}${o.on ? ` on ${on}` : ''}`;
  if (e.expected === 'exists') return e.actual === 'invalid' ? `${name}: invalid (an unfinished CREATE INDEX CONCURRENTLY)` : `${name}: ${e.actual}`;
  return e.actual === 'missing' ? `${name}: gone (the migration drops it)` : `${name}: still exists (the migration drops it)`;
}
