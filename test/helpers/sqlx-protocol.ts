import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { crc32 } from './crc32.js';
import { withClient } from './db.js';

/**
 * sqlx-cli 0.8.6's `migrate run` / `migrate revert` on PostgreSQL, transcribed from docs/formats-spec.md
 * §2.1-2.7 (sqlx-core/src/migrate/source.rs, sqlx-postgres/src/migrate.rs, sqlx-cli/src/migrate.rs)
 * without using anything from src/formats: the real binary is not installed here, so Ladder's rows are
 * checked against these. Checksums are node:crypto's SHA-384 of the raw file bytes.
 */

/** `ensure_migrations_table`, byte for byte (leading newline, 16 trailing spaces). */
export const SQLX_CREATE_TABLE =
  '\nCREATE TABLE IF NOT EXISTS _sqlx_migrations (\n    version BIGINT PRIMARY KEY,\n    description TEXT NOT NULL,\n    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),\n    success BOOLEAN NOT NULL,\n    checksum BYTEA NOT NULL,\n    execution_time BIGINT NOT NULL\n);\n                ';
const INSERT = '\n    INSERT INTO _sqlx_migrations ( version, description, success, checksum, execution_time )\n    VALUES ( $1, $2, TRUE, $3, -1 )\n                ';
const UPDATE = '\n    UPDATE _sqlx_migrations\n    SET execution_time = $1\n    WHERE version = $2\n                ';
const DELETE = 'DELETE FROM _sqlx_migrations WHERE version = $1';

export type SqlxType = 'Simple' | 'ReversibleUp' | 'ReversibleDown';

export interface SqlxFile {
  version: bigint;
  description: string;
  type: SqlxType;
  file: string;
  sql: string;
  noTx: boolean;
  /** SHA-384 of the file's bytes. */
  checksum: Buffer;
}

/** `resolve_blocking`: top level only, `splitn(2, '_')`, ".sql" suffix, i64 prefix (else the whole resolve fails). */
export function sqlxResolve(dir: string): SqlxFile[] {
  const out: SqlxFile[] = [];
  for (const name of readdirSync(dir)) {
    if (!statSync(join(dir, name)).isFile()) continue;
    const at = name.indexOf('_');
    if (at < 0 || !name.slice(at + 1).endsWith('.sql')) continue;
    const prefix = name.slice(0, at);
    if (!/^[+-]?\d+$/.test(prefix)) throw new Error(`error parsing migration filename "${name}"; expected integer version prefix (e.g. \`01_foo.sql\`)`);
    const rest = name.slice(at + 1);
    const [type, suffix]: [SqlxType, string] = rest.endsWith('.up.sql') ? ['ReversibleUp', '.up.sql'] : rest.endsWith('.down.sql') ? ['ReversibleDown', '.down.sql'] : ['Simple', '.sql'];
    let stem = rest;
    while (stem.endsWith(suffix)) stem = stem.slice(0, -suffix.length); // trim_end_matches
    const bytes = readFileSync(join(dir, name));
    const sql = bytes.toString('utf8');
    out.push({ version: BigInt(prefix), description: stem.replaceAll('_', ' '), type, file: name, sql, noTx: sql.startsWith('-- no-transaction'), checksum: createHash('sha384').update(bytes).digest() });
  }
  return out.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
}

/** The row `sqlx migrate run` leaves for an up/simple file (execution_time aside). */
export interface SqlxExpectedRow {
  version: string;
  description: string;
  success: boolean;
  checksum: string;
}

export function sqlxExpectedRows(dir: string, versions?: string[]): SqlxExpectedRow[] {
  return sqlxResolve(dir)
    .filter((m) => m.type !== 'ReversibleDown' && (!versions || versions.includes(String(m.version))))
    .map((m) => ({ version: String(m.version), description: m.description, success: true, checksum: m.checksum.toString('hex') }));
}

/** Every row as stored, with checksum in hex and the typed columns as pg returns them. */
export interface SqlxStoredRow extends SqlxExpectedRow {
  installed_on: Date;
  execution_time: string;
}

export async function sqlxStoredRows(url: string): Promise<SqlxStoredRow[]> {
  return withClient(url, async (c) => {
    const res = await c.query(
      "SELECT version::text AS version, description, success, encode(checksum, 'hex') AS checksum, installed_on, execution_time::text AS execution_time FROM _sqlx_migrations ORDER BY version",
    );
    return res.rows;
  });
}


async function preamble(c: pg.Client, files: SqlxFile[]): Promise<Map<string, Buffer>> {
  await c.query(SQLX_CREATE_TABLE);
  const dirty = await c.query('SELECT version FROM _sqlx_migrations WHERE success = false ORDER BY version LIMIT 1');
  if (dirty.rows[0]) throw new Error(`migration ${dirty.rows[0].version} is partially applied; fix and remove row from \`_sqlx_migrations\` table`);
  const applied = new Map<string, Buffer>();
  for (const r of (await c.query('SELECT version, checksum FROM _sqlx_migrations ORDER BY version')).rows) applied.set(String(r.version), r.checksum);
  const known = new Set(files.map((f) => String(f.version)));
  for (const v of applied.keys()) if (!known.has(v)) throw new Error(`migration ${v} was previously applied but is missing in the resolved migrations`);
  return applied;
}

/**
 * `sqlx migrate run [--target-version T]`: returns sqlx's "Applied <v>/migrate <description>" lines
 * (without the duration). Throws sqlx's error text where sqlx stops.
 */
export async function sqlxMigrateRun(url: string, dir: string, opts: { targetVersion?: string } = {}): Promise<string[]> {
  const files = sqlxResolve(dir);
  const target = opts.targetVersion === undefined ? undefined : BigInt(opts.targetVersion);
  if (target !== undefined && !files.some((f) => f.version === target)) throw new Error(`migration ${target} is not present in the migration source`);
  return withClient(url, async (c) => {
    const applied = await preamble(c, files);
    const latest = [...applied.keys()].reduce((m, v) => (BigInt(v) > m ? BigInt(v) : m), 0n);
    if (target !== undefined && target < latest) throw new Error(`migration ${target} is older than the latest applied migration ${latest}`);
    const lines: string[] = [];
    for (const m of files) {
      if (m.type === 'ReversibleDown') continue;
      const stored = applied.get(String(m.version));
      if (stored) {
        if (!stored.equals(m.checksum)) throw new Error(`migration ${m.version} was previously applied but has been modified`);
        continue;
      }
      if (target !== undefined && m.version > target) continue; // "Skipped"
      const start = process.hrtime.bigint();
      if (!m.noTx) await c.query('BEGIN');
      try {
        await c.query(m.sql);
        await c.query(INSERT, [String(m.version), m.description, m.checksum]);
        if (!m.noTx) await c.query('COMMIT');
      } catch (err) {
        if (!m.noTx) await c.query('ROLLBACK');
        throw new Error(`while executing migration ${m.version}: error returned from database: ${(err as Error).message}`, { cause: err });
      }
      await c.query(UPDATE, [String(process.hrtime.bigint() - start), String(m.version)]);
      lines.push(`Applied ${m.version}/migrate ${m.description}`);
    }
    return lines;
  });
}

/** `sqlx migrate revert` (no target): the highest applied version that has a .down.sql. */
export async function sqlxMigrateRevert(url: string, dir: string): Promise<string> {
  const files = sqlxResolve(dir);
  return withClient(url, async (c) => {
    const applied = await preamble(c, files);
    for (const m of [...files].reverse()) {
      if (m.type !== 'ReversibleDown' || !applied.has(String(m.version))) continue;
      if (!m.noTx) await c.query('BEGIN');
      await c.query(m.sql);
      await c.query(DELETE, [String(m.version)]);
      if (!m.noTx) await c.query('COMMIT');
      return `Applied ${m.version}/revert ${m.description}`;
    }
    return 'No migrations available to revert';
  });
}

/** The sqlx library's `generate_lock_id`: 0x3d32ad9e * CRC-32(current_database()), an i64. */
export function sqlxLibraryLockId(databaseName: string): bigint {
  return 0x3d32ad9en * BigInt(crc32(Buffer.from(databaseName, 'utf8')));
}
