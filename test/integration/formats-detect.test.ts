import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freshDatabase, query, trackingRows } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';
import { preferredGolangMigrate as golangMigrateSteps } from '../helpers/golang-migrate-peers.js';
import { FIXTURES, ladderOn, publicTables, statusJson } from '../helpers/formats.js';

/** Which tool a project uses, as the headless CLI tells it: the `format` line of status and its JSON. */

const GOLANG = resolve(import.meta.dirname, '../../migrations');
const GOLANG_SQL = readdirSync(GOLANG).filter((f) => f.endsWith('.sql')).length;
const formatLine = (stdout: string) => stdout.split('\n').find((l) => l.startsWith('format    '));
const emptyDir = () => mkdtempSync(join(tmpdir(), 'ladder-empty-'));

describe('detection from the folder', () => {
  it("status names each fixture's tool and why, and writes nothing", async () => {
    const url = await freshDatabase('fdet_fixtures');
    const cases: [string, string][] = [
      [FIXTURES.dbmate, "format    dbmate: 5 of 5 .sql files carry dbmate's '-- migrate:up' marker."],
      [FIXTURES.sqlx, 'format    sqlx: 8 of 8 .sql files are named as sqlx names migrations (20240101120000_name.sql or .up.sql/.down.sql).'],
      [FIXTURES.flyway, "format    flyway: 4 of 4 .sql files are named like Flyway's (V1__name.sql / R__name.sql)."],
      [
        GOLANG,
        `format    golang-migrate: ${GOLANG_SQL} of ${GOLANG_SQL} .sql files are named like golang-migrate's (1_name.up.sql / 1_name.down.sql); ` +
          'note: sqlx names reversible migrations the same way, but no _sqlx_migrations table exists (pass -format sqlx if the project uses sqlx).',
      ],
    ];
    for (const [dir, line] of cases) {
      const r = await ladderLocal(['-path', dir, '-database', url, 'status']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(formatLine(r.stdout)).toBe(line);
      const s = await statusJson(ladderOn(dir, url));
      expect(`format    ${s.format}: ${s.detected}`).toBe(line);
    }
    expect(await publicTables(url)).toEqual([]);
  });

  it("after a run the tool's table backs the folder up", async () => {
    for (const [name, dir, table] of [
      ['dbmate', FIXTURES.dbmate, `"public"."schema_migrations" has dbmate's shape`],
      ['sqlx', FIXTURES.sqlx, `"public"."_sqlx_migrations" is sqlx's tracking table`],
      ['flyway', FIXTURES.flyway, `"public"."flyway_schema_history" is Flyway's tracking table`],
    ] as const) {
      const url = await freshDatabase(`fdet_${name}`);
      const run = ladderOn(dir, url);
      expect((await run(['up', '1'])).code).toBe(0);
      const s = await statusJson(run);
      expect(s.format).toBe(name);
      expect(s.detected).toMatch(new RegExp(` and ${table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.$`));
      // with no files at all, the table alone decides
      const bare = await statusJson(ladderOn(emptyDir(), url));
      expect(bare.format).toBe(name);
      expect(bare.detected).toMatch(/ has no \.sql files and /);
    }
  });
});

describe("golang-migrate's and dbmate's schema_migrations are told apart by their columns", () => {
  it('the same table name, read by shape', async () => {
    const golang = await freshDatabase('fdet_gm_table');
    const dbmate = await freshDatabase('fdet_dbmate_table');
    await golangMigrateSteps(golang, GOLANG, 1);
    expect((await ladderLocal(['-path', FIXTURES.dbmate, '-database', dbmate, 'up', '1'])).code).toBe(0);
    const empty = emptyDir();

    let r = await ladderLocal(['-path', empty, '-database', golang, 'status']);
    expect(formatLine(r.stdout)).toBe(`format    golang-migrate: ${empty} has no .sql files and "public"."schema_migrations" has golang-migrate's shape.`);
    r = await ladderLocal(['-path', empty, '-database', dbmate, 'status']);
    expect(formatLine(r.stdout)).toBe(`format    dbmate: ${empty} has no .sql files and "public"."schema_migrations" has dbmate's shape.`);
  });

  it("a dbmate folder on golang-migrate's table: detected as dbmate with a note, and up refuses to write to that table", async () => {
    const url = await freshDatabase('fdet_dbmate_on_gm');
    await golangMigrateSteps(url, GOLANG, 1);
    const before = await trackingRows(url);
    const run = ladderOn(FIXTURES.dbmate, url);
    const st = await run(['status']);
    expect(formatLine(st.stdout)).toBe(`format    dbmate: 5 of 5 .sql files carry dbmate's '-- migrate:up' marker; note: "public"."schema_migrations" has golang-migrate's shape too.`);
    const up = await run(['up']);
    expect(up.code).toBe(1);
    expect(up.stdout).toBe('');
    expect(up.stderr).toContain(`error: "public"."schema_migrations" is not a dbmate migrations table: dbmate's has a single varchar column "version".\n`);
    expect(up.stderr).toContain('golang-migrate uses the same table name (version bigint, dirty boolean).');
    expect(await trackingRows(url)).toEqual(before);
    expect(await query(url, "select to_regclass('accounts') t")).toEqual([{ t: null }]);
  });

  it("a golang-migrate folder on dbmate's table: status and up say whose table it is, and change nothing", async () => {
    const url = await freshDatabase('fdet_gm_on_dbmate');
    expect((await ladderLocal(['-path', FIXTURES.dbmate, '-database', url, 'up', '1'])).code).toBe(0);
    const tables = await publicTables(url);
    const run = ladderOn(GOLANG, url);
    for (const args of [['status'], ['up']]) {
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('error: "public"."schema_migrations" is not a golang-migrate migrations table');
      expect(r.stderr).toContain('use -format dbmate');
    }
    expect(await query(url, 'select version from schema_migrations')).toEqual([{ version: '20240110090000' }]);
    expect(await publicTables(url)).toEqual(tables);
  });
});

describe('-format and folders no tool claims', () => {
  it('.up.sql/.down.sql pairs are golang-migrate until -format sqlx writes _sqlx_migrations; then the table decides', async () => {
    const url = await freshDatabase('fdet_pairs');
    const dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);', '1_a.down.sql': 'drop table a;', '2_b.up.sql': 'create table b (id int);', '2_b.down.sql': 'drop table b;' });
    const run = ladderOn(dir, url);
    let s = await statusJson(run);
    expect(s.format).toBe('golang-migrate');
    expect(s.detected).toBe(
      "4 of 4 .sql files are named like golang-migrate's (1_name.up.sql / 1_name.down.sql); note: sqlx names reversible migrations the same way, but no _sqlx_migrations table exists (pass -format sqlx if the project uses sqlx).",
    );

    const forced = await statusJson(run, ['-format', 'sqlx']);
    expect(forced.format).toBe('sqlx');
    expect(forced.detected).toBe('-format sqlx given, and 4 of 4 .sql files are named as sqlx names migrations (20240101120000_name.sql or .up.sql/.down.sql).');
    const up = await run(['-format', 'sqlx', 'up', '1']);
    expect(up.code).toBe(0);
    expect(await publicTables(url)).toEqual(['_sqlx_migrations', 'a', 'ladder_journal']); // Ladder's journal beside sqlx's table (issue 11)
    expect(await query(url, 'select version::text, description, success from _sqlx_migrations')).toEqual([{ version: '1', description: 'a', success: true }]);

    s = await statusJson(run);
    expect(s.format).toBe('sqlx');
    expect(s.detected).toBe('4 of 4 .sql files are named as sqlx names migrations (20240101120000_name.sql or .up.sql/.down.sql) and "public"."_sqlx_migrations" is sqlx\'s tracking table.');
    expect(s.version).toBe('1');
    // and -format golang-migrate still reads the folder the other way, noting the sqlx table
    const gm = await statusJson(run, ['-format', 'golang-migrate']);
    expect(gm.format).toBe('golang-migrate');
    expect(gm.detected).toBe('-format golang-migrate given; note: "public"."_sqlx_migrations" is sqlx\'s tracking table.');
    expect(gm.version).toBeNull();
  });

  it('an unknown -format is a usage error (exit 2)', async () => {
    const url = await freshDatabase('fdet_bad_format');
    const r = await ladder(['-path', FIXTURES.sqlx, '-database', url, '-format', 'liquibase', 'status']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: Unknown -format "liquibase": use golang-migrate, dbmate, sqlx, flyway or plain.');
  });

  it('a folder of .sql files no tool would read: a clear error, exit 1, nothing created in the database', async () => {
    const url = await freshDatabase('fdet_nomatch');
    const dir = migrationsDir({ 'init.sql': 'create table a (id int);', 'seed_data.sql': 'insert into a values (1);' });
    for (const args of [['status'], ['status', '--json'], ['up'], ['version']]) {
      const r = await ladder(['-path', dir, '-database', url, ...args]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(
        `error: None of the 2 .sql files in ${dir} is named the way golang-migrate, dbmate, sqlx, Flyway or plain-SQL projects name migrations: ` +
          "golang-migrate expects 1_name.up.sql and 1_name.down.sql; dbmate expects 20240101120000_name.sql starting with '-- migrate:up'; " +
          'sqlx expects 20240101120000_name.sql, or 20240101120000_name.up.sql and .down.sql; Flyway expects V1__name.sql and R__name.sql; plain SQL expects 001_name.sql, with 001_rollback.sql as its rollback.\n' +
          'Rename the files as the tool expects, or pass -format golang-migrate|dbmate|sqlx|flyway|plain to say which tool the folder is for.\n',
      );
    }
    expect(await query(url, "select count(*)::int n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')")).toEqual([{ n: 0 }]);
  });
});
