import { LadderError } from '../errors.js';
import type { Queryable } from './queryable.js';
import { quoteIdent } from './quote.js';

export interface AccessNeeds {
  /** The tracking table, qualified and quoted ("public"."schema_migrations"). */
  table: string;
  /** Other tables Ladder creates next to it when missing (its journal), qualified and quoted. */
  alsoCreates?: string[];
  /** Whether the command writes (up, down, force, ...) or only reads (status, history). */
  writes: boolean;
}

interface Facts {
  readOnly: boolean;
  standby: boolean;
  role: string;
  tables: { name: string; schema: string; exists: boolean; usage: boolean; create: boolean; select: boolean; insert: boolean; update: boolean; delete: boolean }[];
}

/**
 * Checks, before anything runs, that this session can do what the command needs: a read-write
 * transaction, CREATE on the schema for a table that must be created, SELECT (and for writes INSERT,
 * UPDATE, DELETE) on the tracking table. A refusal names the privilege, the object and the GRANT.
 */
export async function checkAccess(db: Queryable, needs: AccessNeeds): Promise<void> {
  const facts = await readFacts(db, [needs.table, ...(needs.writes ? (needs.alsoCreates ?? []) : [])]);
  const role = quoteIdent(facts.role);
  if (needs.writes && (facts.readOnly || facts.standby))
    throw new LadderError(
      facts.standby
        ? 'The database is a read-only standby (pg_is_in_recovery() is true): it cannot be migrated. Nothing was changed.'
        : 'The database session is read-only (default_transaction_read_only is on for this role or database): it cannot be migrated. Nothing was changed.',
      facts.standby
        ? 'Point -database at the primary server.'
        : `Connect as a role that may write, or allow writes: ALTER ROLE ${role} SET default_transaction_read_only = off; (or ALTER DATABASE ... SET default_transaction_read_only = off), or add options=-c%20default_transaction_read_only%3Doff to the URL.`,
    );
  for (const [i, t] of facts.tables.entries()) {
    const tracking = i === 0;
    if (!t.usage)
      throw new LadderError(`The role ${facts.role} lacks USAGE on schema ${t.schema}, where ${t.name} is kept. Nothing was changed.`, `Grant it: GRANT USAGE ON SCHEMA ${t.schema} TO ${role};`);
    if (!t.exists) {
      if (needs.writes && !t.create)
        throw new LadderError(
          `The role ${facts.role} lacks CREATE on schema ${t.schema}, needed to create ${t.name}. Nothing was changed.`,
          `Grant it: GRANT CREATE ON SCHEMA ${t.schema} TO ${role};${tracking ? '' : ' (or pass -no-journal to run without Ladder\'s journal)'}`,
        );
      continue;
    }
    if (!tracking) continue;
    const wanted: [string, boolean][] = [['SELECT', t.select]];
    if (needs.writes) wanted.push(['INSERT', t.insert], ['UPDATE', t.update], ['DELETE', t.delete]);
    const missing = wanted.filter(([, has]) => !has).map(([p]) => p);
    if (missing.length > 0)
      throw new LadderError(
        `The role ${facts.role} lacks ${missing.join(', ')} on the tracking table ${t.name}. Nothing was changed.`,
        `Grant it: GRANT ${wanted.map(([p]) => p).join(', ')} ON ${t.name} TO ${role};`,
      );
  }
}

async function readFacts(db: Queryable, tables: string[]): Promise<Facts> {
  const res = await db.query(
    `SELECT current_setting('transaction_read_only') = 'on' AS ro, pg_is_in_recovery() AS standby, current_user AS role,
            t.name, quote_ident(p.parts[1]) AS schema, c.oid IS NOT NULL AS exists,
            coalesce(has_schema_privilege(n.oid, 'USAGE'), true) AS usage,
            coalesce(has_schema_privilege(n.oid, 'CREATE'), true) AS create,
            coalesce(has_table_privilege(c.oid, 'SELECT'), false) AS sel,
            coalesce(has_table_privilege(c.oid, 'INSERT'), false) AS ins,
            coalesce(has_table_privilege(c.oid, 'UPDATE'), false) AS upd,
            coalesce(has_table_privilege(c.oid, 'DELETE'), false) AS del
       FROM unnest($1::text[]) WITH ORDINALITY AS t(name, ord)
       CROSS JOIN LATERAL (SELECT parse_ident(t.name) AS parts) p
       LEFT JOIN pg_namespace n ON n.nspname = p.parts[1]
       LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = p.parts[2]
      ORDER BY t.ord`,
    [tables],
  );
  const rows = res.rows as Record<string, unknown>[];
  const first = rows[0]!;
  return {
    readOnly: Boolean(first.ro),
    standby: Boolean(first.standby),
    role: String(first.role),
    tables: rows.map((r) => ({
      name: String(r.name),
      schema: String(r.schema),
      exists: Boolean(r.exists),
      usage: Boolean(r.usage),
      create: Boolean(r.create),
      select: Boolean(r.sel),
      insert: Boolean(r.ins),
      update: Boolean(r.upd),
      delete: Boolean(r.del),
    })),
  };
}
