import { beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, query, trackingRows, userTables } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';

// The binary where a test is about what a shell sees (exit codes, golang-migrate's step lines, the environment);
// in process where it is about what a command did to the database.

const BASIC = {
  '1_users.up.sql': 'create table users (id int);',
  '1_users.down.sql': 'drop table users;',
  '2_orders.up.sql': "DO $$ BEGIN RAISE NOTICE 'orders are coming'; END $$;\ncreate table orders (id int);",
  '2_orders.down.sql': 'drop table orders;',
  '3_items.up.sql': 'create table items (id int);',
  '3_items.down.sql': 'drop table items;',
};

describe('up / down / goto / version against a real PostgreSQL', () => {
  let url: string;
  let dir: string;
  beforeAll(async () => {
    url = await freshDatabase('cli_basic');
    dir = migrationsDir(BASIC);
  });

  it('up applies everything, printing golang-migrate step lines on stdout and notices on stderr', async () => {
    const r = await ladder(['-path', dir, '-database', url, 'up']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^1\/u users \(\d+(\.\d+)?(ns|µs|ms|s)\)$/);
    expect(lines[1]).toMatch(/^2\/u orders \(/);
    expect(lines[2]).toMatch(/^3\/u items \(/);
    expect(r.stderr).toContain('NOTICE: orders are coming');
    expect(await trackingRows(url)).toEqual([{ version: '3', dirty: false }]);
    expect(await userTables(url)).toEqual(['items', 'orders', 'schema_migrations', 'users']);
  });

  it('creates the tracking table exactly as golang-migrate does', async () => {
    const cols = await query(url, `select column_name, data_type, is_nullable from information_schema.columns where table_name = 'schema_migrations' order by ordinal_position`);
    expect(cols).toEqual([
      { column_name: 'version', data_type: 'bigint', is_nullable: 'NO' },
      { column_name: 'dirty', data_type: 'boolean', is_nullable: 'NO' },
    ]);
    const pk = await query(url, `select pg_get_constraintdef(oid) d from pg_constraint where conrelid = 'public.schema_migrations'::regclass`);
    expect(pk).toEqual([{ d: 'PRIMARY KEY (version)' }]);
  });

  it('up again is "no change" with exit 0', async () => {
    const r = await ladder(['-path', dir, '-database', url, 'up']);
    expect(r).toMatchObject({ code: 0, stdout: 'no change\n' });
  });

  it('version prints the current version', async () => {
    expect(await ladder(['version', '-path', dir, '-database', url])).toMatchObject({ code: 0, stdout: '3\n' });
  });

  it('down 1 records the previous version; goto steps through several', async () => {
    const d = await ladder(['-path', dir, '-database', url, 'down', '1']);
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^3\/d items \(/);
    expect(await trackingRows(url)).toEqual([{ version: '2', dirty: false }]);
    const g = await ladder(['-path', dir, '-database', url, 'goto', '1']);
    expect(g.stdout).toMatch(/^2\/d orders \(/);
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: false }]);
    expect(await userTables(url)).toEqual(['schema_migrations', 'users']);
  });

  it('down with no N refuses without a terminal; down -all removes everything and leaves no row', async () => {
    const refused = await ladder(['-path', dir, '-database', url, 'down']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/refusing without confirmation/);
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: false }]);
    const all = await ladder(['-path', dir, '-database', url, 'down', '-all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^1\/d users \(/);
    expect(await trackingRows(url)).toEqual([]);
    expect(await userTables(url)).toEqual(['schema_migrations']);
  });

  it('version with nothing applied says so (golang-migrate: "no migration")', async () => {
    const r = await ladder(['version', '-path', dir, '-database', url]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: no migration/);
  });

  it('short limits are refused before anything runs', async () => {
    const r = await ladder(['-path', dir, '-database', url, 'up', '5']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('limit 5 short by 2');
    expect(await trackingRows(url)).toEqual([]);
  });

  it('force sets a version without running anything; force -1 clears it', async () => {
    expect((await ladderLocal(['-path', dir, '-database', url, 'force', '2'])).code).toBe(0);
    expect(await trackingRows(url)).toEqual([{ version: '2', dirty: false }]);
    expect(await userTables(url)).toEqual(['schema_migrations']);
    expect((await ladderLocal(['-path', dir, '-database', url, 'force', '-1'])).code).toBe(0);
    expect(await trackingRows(url)).toEqual([]);
  });

  it('drop -f drops every table in the schema; drop without -f refuses in a script', async () => {
    await ladderLocal(['-path', dir, '-database', url, 'up', '2']);
    const refused = await ladder(['-path', dir, '-database', url, 'drop']);
    expect(refused.code).toBe(1);
    expect(await userTables(url)).toEqual(['orders', 'schema_migrations', 'users']);
    expect((await ladderLocal(['-path', dir, '-database', url, 'drop', '-f'])).code).toBe(0);
    expect(await userTables(url)).toEqual([]);
  });
});

describe('missing halves and empty files', () => {
  it('stepping through a missing down or a whitespace-only file runs nothing but records the version', async () => {
    const url = await freshDatabase('cli_halves');
    const dir = migrationsDir({
      '1_a.up.sql': 'create table a (id int);',
      '1_a.down.sql': 'drop table a;',
      '2_seed.up.sql': '  \n\t\n',
      '3_b.up.sql': 'create table b (id int);',
    });
    const up = await ladder(['-path', dir, '-database', url, 'up']);
    expect(up.code).toBe(0);
    expect(up.stdout).toMatch(/^2\/u seed \(/m);
    expect(await trackingRows(url)).toEqual([{ version: '3', dirty: false }]);
    const down = await ladder(['-path', dir, '-database', url, 'down', '1']);
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/^3\/d {2}\(/); // golang-migrate logs an empty name for a missing file
    expect(await trackingRows(url)).toEqual([{ version: '2', dirty: false }]);
    expect(await userTables(url)).toEqual(['a', 'b', 'schema_migrations']);
  });
});

describe('tracking table options', () => {
  it('x-migrations-table is taken literally, in current_schema() set by search_path', async () => {
    const url = await freshDatabase('cli_xtable');
    await query(url, 'create schema app');
    const dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);', '1_a.down.sql': 'drop table a;' });
    const target = `${url}&search_path=app&x-migrations-table=my.versions`;
    const r = await ladderLocal(['-path', dir, '-database', target, 'up']);
    expect(r.code).toBe(0);
    expect(await trackingRows(url, 'app."my.versions"')).toEqual([{ version: '1', dirty: false }]);
    expect(await userTables(url, 'app')).toEqual(['a', 'my.versions']);
    const status = await ladderLocal(['-path', dir, '-database', target, 'status', '--json']);
    expect(JSON.parse(status.stdout)).toMatchObject({ version: '1', table: '"app"."my.versions"' });
    expect(status.stdout).not.toContain('x-migrations-table');
  });

  it('x-migrations-table-quoted names "schema"."table"', async () => {
    const url = await freshDatabase('cli_xquoted');
    await query(url, 'create schema meta');
    const dir = migrationsDir({ '7_a.up.sql': 'create table a (id int);' });
    const r = await ladderLocal(['-path', dir, '-database', `${url}&x-migrations-table="meta"."migs"&x-migrations-table-quoted=1`, 'up']);
    expect(r.code).toBe(0);
    expect(await trackingRows(url, 'meta.migs')).toEqual([{ version: '7', dirty: false }]);
    const status = await ladderLocal(['-path', dir, '-database', `${url}&x-migrations-table="meta"."migs"&x-migrations-table-quoted=1`, 'status']);
    expect(status.stdout).toMatch(/^format {4}golang-migrate: .*"meta"\."migs" has golang-migrate's shape/m);
    expect(status.stdout).toMatch(/^version {3}7$/m);
    const bad = await ladder(['-path', dir, '-database', `${url}&x-migrations-table=migs&x-migrations-table-quoted=1`, 'up']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('x-migrations-table must be quoted');
  });

  it('x-statement-timeout stops a slow migration and leaves it dirty', async () => {
    const url = await freshDatabase('cli_timeout');
    const dir = migrationsDir({ '1_slow.up.sql': 'select pg_sleep(5);' });
    const r = await ladderLocal(['-path', dir, '-database', `${url}&x-statement-timeout=200`, 'up']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('canceling statement due to statement timeout');
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: true }]);
  });
});

describe('DATABASE_URL and .env', () => {
  it('reads DATABASE_URL, then .env in the working directory', async () => {
    const url = await freshDatabase('cli_env');
    const dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);' });
    const viaEnv = await ladder(['-path', dir, 'up'], { env: { DATABASE_URL: url } });
    expect(viaEnv.code).toBe(0);
    writeFileSync(join(dir, '.env'), `DATABASE_URL=${url}\n`);
    const viaDotenv = await ladder(['-path', dir, 'version'], { cwd: dir });
    expect(viaDotenv).toMatchObject({ code: 0, stdout: '1\n' });
  });
});
