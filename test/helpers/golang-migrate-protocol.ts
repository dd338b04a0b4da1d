import pg from 'pg';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { advisoryLockId } from '../../src/formats/golang-migrate/lock-id.js';

/**
 * golang-migrate v4's PostgreSQL driver, statement for statement (database/postgres/postgres.go:
 * Lock, ensureVersionTable, SetVersion, Version, Run), driven like migrate.Steps(n). The real
 * binary cannot be installed on these machines, so interop is checked against this transcription.
 */
export async function golangMigrateSteps(url: string, dir: string, n: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT CURRENT_SCHEMA() AS s');
    const schema: string = rows[0].s;
    const table = `"${schema}"."schema_migrations"`;
    const id = advisoryLockId(new URL(url).pathname, schema, 'schema_migrations');
    await client.query('SELECT pg_advisory_lock($1)', [id]);
    const exists = await client.query('SELECT COUNT(1) FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2 LIMIT 1', [schema, 'schema_migrations']);
    if (Number(exists.rows[0].count) !== 1) await client.query(`CREATE TABLE IF NOT EXISTS ${table} (version bigint not null primary key, dirty boolean not null)`);
    const cur = await client.query(`SELECT version, dirty FROM ${table} LIMIT 1`);
    if (cur.rows[0]?.dirty) throw new Error(`Dirty database version ${cur.rows[0].version}. Fix and force version.`);
    const current = cur.rows[0] ? Number(cur.rows[0].version) : -1;
    const versions = [...new Set(readdirSync(dir).map((f) => /^(\d+)_/.exec(f)?.[1]).filter(Boolean).map(Number))].sort((a, b) => a - b);
    const setVersion = async (v: number, dirty: boolean) => {
      await client.query('BEGIN');
      await client.query(`TRUNCATE ${table}`);
      if (v >= 0 || dirty) await client.query(`INSERT INTO ${table} (version, dirty) VALUES ($1, $2)`, [v, dirty]);
      await client.query('COMMIT');
    };
    const file = (v: number, d: 'up' | 'down') => readdirSync(dir).find((f) => Number(/^(\d+)_/.exec(f)?.[1]) === v && new RegExp(`\\.${d}\\.[^.]*$`).test(f));
    let at = versions.indexOf(current);
    for (let i = 0; i < Math.abs(n); i++) {
      if (n > 0) {
        const v = versions[at + 1]!;
        await setVersion(v, true);
        const f = file(v, 'up');
        if (f) await client.query(readFileSync(join(dir, f), 'utf8'));
        await setVersion(v, false);
        at++;
      } else {
        const v = versions[at]!;
        const target = at > 0 ? versions[at - 1]! : -1;
        await setVersion(target, true);
        const f = file(v, 'down');
        if (f) await client.query(readFileSync(join(dir, f), 'utf8'));
        await setVersion(target, false);
        at--;
      }
    }
    await client.query('SELECT pg_advisory_unlock($1)', [id]);
  } finally {
    await client.end();
  }
}
