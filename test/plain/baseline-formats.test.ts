import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { golangMigrate, runGolangMigrate } from '../helpers/golang-migrate-bin.js';
import { dbmate, HAVE_DBMATE } from '../fixtures/dbmate/dbmate-cli.js';
import { cliOn, stepLines } from './helpers.js';

/**
 * `ladder baseline` in the other four formats: the rows each tool's own command writes (golang-migrate:
 * force V; dbmate and sqlx: an applied migration's row; Flyway: its BASELINE row), and the tool's next
 * run goes on from there.
 */

const currentUser = async (url: string) => (await query<{ u: string }>(url, 'SELECT current_user AS u'))[0]!.u;

describe('baseline: golang-migrate', () => {
  const files = {
    '1_users.up.sql': 'CREATE TABLE users (id int);',
    '1_users.down.sql': 'DROP TABLE users;',
    '2_users_email.up.sql': 'ALTER TABLE users ADD COLUMN email text;\nCREATE INDEX users_email ON users (email);',
    '2_users_email.down.sql': 'DROP INDEX users_email;',
    '3_orders.up.sql': 'CREATE TABLE orders (id int);',
    '3_orders.down.sql': 'DROP TABLE orders;',
  };

  it.skipIf(!golangMigrate.bin)('baseline 2 writes what migrate force 2 writes; without V the evidence stops at 3', async () => {
    const ours = await freshDatabase('bl_gm');
    const theirs = await freshDatabase('bl_gm_ref');
    const dir = migrationsDir(files);
    const run = cliOn(dir, ours);
    const given = await run(['baseline', '2', '--yes']);
    expect(given.code).toBe(0);
    expect(given.stdout).toBe('1/baseline users\n2/baseline users_email\n');
    expect((await runGolangMigrate(dir, theirs, ['force', '2'])).code).toBe(0);
    const table = 'SELECT version, dirty FROM schema_migrations';
    expect(await query(ours, table)).toEqual(await query(theirs, table));
    expect(await query(ours, table)).toEqual([{ version: '2', dirty: false }]);
    expect(await query(ours, "SELECT 1 FROM pg_tables WHERE tablename = 'users'")).toEqual([]); // nothing was run

    const byEvidence = await freshDatabase('bl_gm_ev');
    await query(byEvidence, 'CREATE TABLE users (id int, email text); CREATE INDEX users_email ON users (email);');
    const ev = await cliOn(dir, byEvidence)(['baseline', '--yes']);
    expect(ev.code).toBe(0);
    expect(ev.stdout).toBe('1/baseline users\n2/baseline users_email\n');
    expect(ev.stderr).toContain('users_email: exists');
    expect(ev.stderr).toContain('orders: missing');
    expect(await query(byEvidence, table)).toEqual([{ version: '2', dirty: false }]);
    const up = await runGolangMigrate(dir, byEvidence, ['up']);
    expect(up.code).toBe(0);
    expect(up.stderr).toContain('3/u orders');
  });
});

describe('baseline: dbmate', () => {
  const files = {
    '20240101000001_users.sql': '-- migrate:up\nCREATE TABLE users (id int);\n-- migrate:down\nDROP TABLE users;\n',
    '20240101000002_orders.sql': '-- migrate:up\nCREATE TABLE orders (id int);\n-- migrate:down\nDROP TABLE orders;\n',
  };

  it.skipIf(!HAVE_DBMATE)('records the version row dbmate writes, and dbmate up then runs only the rest', async () => {
    const url = await freshDatabase('bl_dbmate');
    const dir = migrationsDir(files);
    await query(url, 'CREATE TABLE users (id int)');
    const r = await cliOn(dir, url)(['baseline', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('20240101000001/baseline users\n');
    expect(await query(url, 'SELECT * FROM schema_migrations')).toEqual([{ version: '20240101000001' }]);
    const up = await dbmate(url, dir, ['up']);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('Applying: 20240101000002_orders.sql');
    expect(up.stdout).not.toContain('20240101000001');
  });
});

describe('baseline: sqlx', () => {
  it('records the row sqlx inserts (success, the file\'s SHA-384, execution_time -1 as before sqlx measures it)', async () => {
    const url = await freshDatabase('bl_sqlx');
    const dir = migrationsDir({
      '20240101000001_create_users.sql': 'CREATE TABLE users (id int);\n',
      '20240101000002_create_orders.sql': 'CREATE TABLE orders (id int);\n',
    });
    const r = await cliOn(dir, url)(['-format', 'sqlx', 'baseline', '20240101000001', '--yes']);
    expect(r.code).toBe(0);
    const sha = createHash('sha384').update(readFileSync(join(dir, '20240101000001_create_users.sql'))).digest('hex');
    expect(await query(url, "SELECT version::text, description, success, encode(checksum, 'hex') AS checksum, execution_time::text FROM _sqlx_migrations")).toEqual([
      { version: '20240101000001', description: 'create users', success: true, checksum: sha, execution_time: '-1' },
    ]);
    const up = await cliOn(dir, url)(['up']);
    expect(stepLines(up.stdout)).toEqual(['20240101000002/u create orders']);
  });
});

describe('baseline: Flyway', () => {
  const files = {
    'V1__create_accounts.sql': 'CREATE TABLE accounts (id int);',
    'V1_1__add_email.sql': 'ALTER TABLE accounts ADD COLUMN email text;',
    'V2__create_orders.sql': 'CREATE TABLE orders (id int);',
  };

  it('writes the BASELINE row flyway baseline writes, in a schema that already holds objects; up runs only what is above it', async () => {
    const url = await freshDatabase('bl_flyway');
    const dir = migrationsDir(files);
    await query(url, 'CREATE TABLE accounts (id int, email text)');
    const run = cliOn(dir, url);
    const r = await run(['baseline', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1/baseline create accounts\n1.1/baseline add email\n');
    expect(
      await query(url, 'SELECT installed_rank, version, description, type, script, checksum, installed_by, execution_time, success FROM flyway_schema_history'),
    ).toEqual([
      { installed_rank: 1, version: '1.1', description: '<< Flyway Baseline >>', type: 'BASELINE', script: '<< Flyway Baseline >>', checksum: null, installed_by: await currentUser(url), execution_time: 0, success: true },
    ]);
    const up = await run(['up']);
    expect(up.code).toBe(0);
    expect(stepLines(up.stdout)).toEqual(['2/u create orders']);
  });

  it("refuses, in Flyway's words, once the history holds migrations, and writes nothing", async () => {
    const url = await freshDatabase('bl_flyway_used');
    const dir = migrationsDir(files);
    const run = cliOn(dir, url);
    expect((await run(['up', '1'])).code).toBe(0);
    const before = await query(url, 'SELECT * FROM flyway_schema_history');
    const r = await run(['baseline', '2', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Unable to baseline schema history table "public"."flyway_schema_history" as it already contains migrations');
    expect(await query(url, 'SELECT * FROM flyway_schema_history')).toEqual(before);
  });
});

describe('baseline: refusals', () => {
  it('without --yes and no terminal it asks nothing and writes nothing; an unknown V is a clear error', async () => {
    const url = await freshDatabase('bl_refuse');
    const dir = migrationsDir({ '1_a.up.sql': 'CREATE TABLE a (id int);', '1_a.down.sql': 'DROP TABLE a;' });
    const run = cliOn(dir, url);
    const asked = await run(['baseline', '1']);
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain('refusing without confirmation');
    const unknown = await run(['baseline', '7', '--yes']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No migration 7 in');
    const nothing = await run(['baseline', '--yes']);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('a: missing');
    expect(await query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).toEqual([]);
  });
});
