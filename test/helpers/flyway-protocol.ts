import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { crc32 } from './crc32.js';
import { withClient } from './db.js';

/**
 * Flyway 13 (open source) `migrate` on PostgreSQL with its defaults, transcribed from
 * docs/formats-spec.md §3.1-3.8 without using anything from src/formats: the real tool (Java) is not
 * installed here, so Ladder's rows are checked against these. The checksum is a CRC-32 over the lines
 * (own table-driven CRC-32), the lock key LOCK_MAGIC_NUM + Java's String.hashCode of the quoted table.
 */

export const FLYWAY_TABLE = '"public"."flyway_schema_history"';

/** PostgreSQLDatabase.getRawCreateScript for "public"."flyway_schema_history", no tablespace. */
export const FLYWAY_DDL = [
  `CREATE TABLE "public"."flyway_schema_history" (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
)`,
  'ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank")',
  'CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success")',
];

const INSERT =
  'INSERT INTO "public"."flyway_schema_history" ("installed_rank", "version", "description", "type", "script", "checksum", "installed_by", "execution_time", "success") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)';
const SELECT =
  '/*NO LOAD BALANCE*/\nSELECT "installed_rank","version","description","type","script","checksum","installed_on","installed_by","execution_time","success" FROM "public"."flyway_schema_history" WHERE "installed_rank" > $1 ORDER BY "installed_rank"';

/** Java's String.hashCode over UTF-16 code units, wrapping to int32. */
export function javaHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return h;
}

/** PostgreSQLAdvisoryLockTemplate: LOCK_MAGIC_NUM + table.toString().hashCode() (long + int). */
export function flywayLockKey(quotedTable = FLYWAY_TABLE): bigint {
  return 0x466c79776179n + BigInt(javaHashCode(quotedTable));
}

/** ChecksumCalculator: CRC32.update per BufferedReader.readLine line (BOM off the first), as (int). */
export function flywayFileChecksum(bytes: Buffer): number {
  const text = bytes.toString('utf8');
  const lines: string[] = [];
  let at = 0;
  while (at < text.length) {
    const m = /\r\n|\r|\n/.exec(text.slice(at));
    if (!m) {
      lines.push(text.slice(at));
      break;
    }
    lines.push(text.slice(at, at + m.index));
    at += m.index + m[0].length;
  }
  if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1);
  return crc32(...lines.map((l) => Buffer.from(l, 'utf8'))) | 0;
}

export interface FlywayScript {
  kind: 'V' | 'R';
  /** Display text as stored (`1_1` → `1.1`), null for repeatables. */
  version: string | null;
  description: string;
  /** Path relative to the location, with "/". */
  script: string;
  checksum: number;
  sql: string;
}

function versionParts(v: string): bigint[] {
  const parts = v.split(/\.(?=\d)/).map((p) => {
    if (!/^\d+$/.test(p)) throw new Error(`Version may only contain 0..9 and . (dot). Invalid version: ${v}`);
    return BigInt(p);
  });
  while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop();
  return parts;
}

export function compareFlywayVersion(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0n;
    const q = y[i] ?? 0n;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

/** The scanner (recursive, hidden folders skipped) and ResourceNameParser for V and R files; U is Teams-only. */
export function flywayResolve(dir: string, rel = ''): FlywayScript[] {
  const out: FlywayScript[] = [];
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const path = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!entry.name.startsWith('.')) out.push(...flywayResolve(dir, path));
      continue;
    }
    const name = entry.name;
    const prefix = name[0];
    if ((prefix !== 'V' && prefix !== 'R') || !name.toLowerCase().endsWith('.sql') || name.length <= 5) continue;
    const body = name.slice(1, -4);
    const sep = body.indexOf('__');
    const left = sep < 0 ? body : body.slice(0, sep);
    const description = (sep < 0 ? '' : body.slice(sep + 2)).replaceAll('_', ' ');
    let version: string | null = null;
    if (prefix === 'V') {
      if (left === '') continue;
      version = left.replaceAll('_', '.');
      try {
        versionParts(version);
      } catch {
        continue;
      }
    } else if (left !== '') continue;
    const bytes = readFileSync(join(dir, path));
    out.push({ kind: prefix, version, description, script: path, checksum: flywayFileChecksum(bytes), sql: bytes.toString('utf8') });
  }
  if (rel !== '') return out;
  // ResolvedMigrationComparator: versioned by version, then repeatables by description.
  return out.sort((a, b) =>
    a.kind !== b.kind ? (a.kind === 'V' ? -1 : 1) : a.kind === 'V' ? compareFlywayVersion(a.version!, b.version!) : a.description < b.description ? -1 : a.description > b.description ? 1 : 0,
  );
}

/** The columns Flyway's INSERT sets from the migration itself (not rank, user, time). */
export interface FlywayRowCore {
  version: string | null;
  description: string;
  type: string;
  script: string;
  checksum: number | null;
  success: boolean;
}

export const expectedRow = (s: FlywayScript): FlywayRowCore => ({ version: s.version, description: s.description, type: 'SQL', script: s.script, checksum: s.checksum, success: true });

export interface FlywayStoredRow extends FlywayRowCore {
  installed_rank: number;
  installed_by: string;
  installed_on: Date;
  execution_time: number;
}

/** The history as Flyway reads it (its own SELECT, in rank order). */
export async function flywayHistory(url: string): Promise<FlywayStoredRow[]> {
  return withClient(url, async (c) => (await c.query(SELECT, [-1])).rows);
}


/** PostgreSQLParser.detectCanExecuteInTransaction, over the statements with comment lines dropped. */
function nonTransactional(sql: string): boolean {
  const statements = sql
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .split(';')
    .map((s) => s.trim().toUpperCase().replace(/\s+/g, ' '))
    .filter(Boolean);
  return statements.some((s) =>
    [/^(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)/, /^ALTER SYSTEM/, /^(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY/, /^REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)/, /^VACUUM/, /^DISCARD ALL/].some((r) =>
      r.test(s),
    ),
  );
}

/**
 * `flyway migrate` (validateOnMigrate on). With the default `postgresql.transactional.lock=true`, each
 * migration takes pg_try_advisory_xact_lock in a transaction on the main connection, runs the body on
 * a second connection and inserts the history row on the main one before the body commits. That mode
 * hangs on CREATE INDEX CONCURRENTLY, which waits for the main connection's open transaction (Flyway
 * issues #3497, #3508, #3682); projects with such files set `postgresql.transactional.lock=false`:
 * one connection, a session lock, body and row in one transaction (or autocommit when
 * non-transactional). Returns the scripts applied; throws Flyway's validate text where Flyway stops.
 */
export async function flywayMigrate(url: string, dir: string, opts: { transactionalLock?: boolean } = {}): Promise<string[]> {
  const transactionalLock = opts.transactionalLock ?? true;
  const scripts = flywayResolve(dir);
  const main = new pg.Client({ connectionString: url });
  const mig = transactionalLock ? new pg.Client({ connectionString: url }) : main;
  await main.connect();
  if (mig !== main) await mig.connect();
  const key = String(flywayLockKey());
  const locked = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (!transactionalLock) {
      if (!(await main.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key])).rows[0].ok) throw new Error('Flyway lock is held by another session');
      try {
        return await fn();
      } finally {
        await main.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
      }
    }
    await main.query('BEGIN');
    try {
      if (!(await main.query('SELECT pg_try_advisory_xact_lock($1::bigint) AS ok', [key])).rows[0].ok) throw new Error('Flyway lock is held by another session');
      const out = await fn();
      await main.query('COMMIT');
      return out;
    } catch (err) {
      await main.query('ROLLBACK');
      throw err;
    }
  };
  try {
    const user: string = (await main.query('SELECT current_user')).rows[0].current_user;
    const exists = await main.query(
      "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r')",
      ['public', 'flyway_schema_history'],
    );
    if (!exists.rows[0].exists)
      await locked(async () => {
        for (const s of FLYWAY_DDL) await main.query(s);
      });
    const applied: string[] = [];
    for (;;) {
      const next = await locked(async () => {
        const rows: FlywayStoredRow[] = (await main.query(SELECT, [-1])).rows;
        const m = validateAndPending(scripts, rows)[0];
        if (!m) return null;
        const transactional = !nonTransactional(m.sql);
        const start = process.hrtime.bigint();
        if (transactional) await mig.query('BEGIN');
        try {
          await mig.query(m.sql);
          const ms = Number((process.hrtime.bigint() - start) / 1_000_000n);
          const rank = Math.max(0, ...rows.map((r) => r.installed_rank)) + 1;
          await main.query(INSERT, [rank, m.version, m.description, 'SQL', m.script, m.checksum, user, ms, true]);
          if (transactional) await mig.query('COMMIT');
        } catch (err) {
          if (transactional) await mig.query('ROLLBACK');
          throw err;
        }
        return m.script;
      });
      if (next === null) return applied;
      applied.push(next);
    }
  } finally {
    await main.end();
    if (mig !== main) await mig.end();
  }
}

/** Validate (failed, missing, checksum, ignored) and the pending list, in migrate order. */
function validateAndPending(scripts: FlywayScript[], rows: FlywayStoredRow[]): FlywayScript[] {
  const errors: string[] = [];
  const live = new Map<string, FlywayStoredRow>(); // version → its effective SQL row (a later DELETE row removes it)
  const repeatables = new Map<string, FlywayStoredRow>(); // description → latest row
  for (const r of rows) {
    if (r.version === null) {
      if (r.type === 'SQL') repeatables.set(r.description, r);
      continue;
    }
    const k = versionParts(r.version).join('.');
    if (r.type === 'DELETE') live.delete(k);
    else live.set(k, r);
  }
  for (const r of [...live.values(), ...repeatables.values()])
    if (!r.success) errors.push(`Detected failed migration to version ${r.version} (${r.description}).`);
  const byVersion = new Map(scripts.filter((s) => s.kind === 'V').map((s) => [versionParts(s.version!).join('.'), s]));
  for (const [k, r] of live) {
    const s = byVersion.get(k);
    if (!s) errors.push(`Detected applied migration not resolved locally: ${r.version}.`);
    else if (r.success && r.checksum !== s.checksum) errors.push(`Migration checksum mismatch for migration version ${r.version}`);
  }
  const latest = [...live.values()].filter((r) => r.success).map((r) => r.version!).sort(compareFlywayVersion).at(-1);
  const pending: FlywayScript[] = [];
  for (const s of scripts) {
    if (s.kind === 'V') {
      if (live.has(versionParts(s.version!).join('.'))) continue;
      if (latest !== undefined && compareFlywayVersion(s.version!, latest) < 0) errors.push(`Detected resolved migration not applied to database: ${s.version}.`);
      else pending.push(s);
    } else {
      const r = repeatables.get(s.description);
      if (!r || r.checksum !== s.checksum) pending.push(s);
    }
  }
  if (errors.length > 0) throw new Error(`Validate failed: Migrations have failed validation\n${errors.join('\n')}`);
  return pending;
}
