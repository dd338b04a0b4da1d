import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { freshDatabase } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { LadderError, UsageError } from '../../src/errors.js';
import type { Queryable } from '../../src/formats/types.js';
import {
  decideFormat,
  DEFAULT_DIRS,
  detectFormat,
  findTrackingTables,
  FORMAT_NAMES,
  parseFormatName,
  scanFolder,
  scoreFolder,
  type FormatName,
} from '../../src/formats/detect.js';

const ROOT = resolve(import.meta.dirname, '../..');
const GOLANG = join(ROOT, 'migrations');
const DBMATE = join(ROOT, 'test/fixtures/dbmate/sample');
const SQLX = join(ROOT, 'test/fixtures/sqlx');
const FLYWAY = join(ROOT, 'test/fixtures/flyway');

const scores = (s: Partial<Record<FormatName, number>>): Record<FormatName, number> => ({ 'golang-migrate': 0, dbmate: 0, sqlx: 0, flyway: 0, plain: 0, ...s });
const table = (format: FormatName, name: string, schema = 'public') => ({ format, table: `"${schema}"."${name}"` });
const GM_TABLE = table('golang-migrate', 'schema_migrations');
const DBMATE_TABLE = table('dbmate', 'schema_migrations');
const SQLX_TABLE = table('sqlx', '_sqlx_migrations');
const FLYWAY_TABLE = table('flyway', 'flyway_schema_history');

/** The error decideFormat throws, or fails the test. */
function thrown(fn: () => unknown): LadderError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LadderError);
    return err as LadderError;
  }
  throw new Error('expected a LadderError');
}

describe('format names', () => {
  it('lists the five formats and their default folders', () => {
    expect(FORMAT_NAMES).toEqual(['golang-migrate', 'dbmate', 'sqlx', 'flyway', 'plain']);
    expect(DEFAULT_DIRS).toEqual({ 'golang-migrate': 'migrations', sqlx: 'migrations', dbmate: 'db/migrations', flyway: 'db/migration', plain: 'migrations' });
  });

  it('parses -format values case-insensitively, with aliases', () => {
    for (const [raw, want] of [
      ['golang-migrate', 'golang-migrate'],
      ['Golang-Migrate', 'golang-migrate'],
      ['migrate', 'golang-migrate'],
      ['golang', 'golang-migrate'],
      ['golang_migrate', 'golang-migrate'],
      ['DBMATE', 'dbmate'],
      ['sqlx', 'sqlx'],
      ['sqlx-cli', 'sqlx'],
      ['Flyway', 'flyway'],
      [' flyway ', 'flyway'],
    ] as const) {
      expect(parseFormatName(raw)).toBe(want);
    }
  });

  it('rejects an unknown -format with a usage error listing the valid names', () => {
    let err: unknown;
    try {
      parseFormatName('liquibase');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    const u = err as UsageError;
    expect(u.exitCode).toBe(2);
    expect(u.message).toContain('"liquibase"');
    for (const name of FORMAT_NAMES) expect(u.message).toContain(name);
    expect(() => parseFormatName('')).toThrow(UsageError);
  });
});

describe('decideFormat', () => {
  const dir = 'db/migrations';

  it('-format wins, and the reason still names the evidence against it', () => {
    const d = decideFormat({ dir, scores: scores({ flyway: 1 }), sqlFiles: 4, tables: [FLYWAY_TABLE], explicit: 'sqlx' });
    expect(d.format).toBe('sqlx');
    expect(d.reason).toMatch(/^-format sqlx given; note: /);
    expect(d.reason).toContain("the folder looks like Flyway's");
    expect(d.reason).toContain(`"public"."flyway_schema_history" is Flyway's tracking table`);
    expect(d.reason).toMatch(/\.$/);
  });

  it('-format dbmate on golang-migrate\'s schema_migrations notes the shape clash', () => {
    const d = decideFormat({ dir, scores: scores({ dbmate: 1 }), sqlFiles: 3, tables: [GM_TABLE], explicit: 'dbmate' });
    expect(d.format).toBe('dbmate');
    expect(d.reason).toBe(`-format dbmate given; note: "public"."schema_migrations" has golang-migrate's shape.`);
  });

  it('-format that agrees with the evidence gives it as support, no note', () => {
    const d = decideFormat({ dir, scores: scores({ 'golang-migrate': 1, sqlx: 1 }), sqlFiles: 24, tables: [SQLX_TABLE], explicit: 'sqlx' });
    expect(d).toEqual({
      format: 'sqlx',
      reason: `-format sqlx given, and 24 of 24 .sql files are named as sqlx names migrations (20240101120000_name.sql or .up.sql/.down.sql) and "public"."_sqlx_migrations" is sqlx's tracking table.`,
    });
    expect(decideFormat({ dir, scores: scores({}), sqlFiles: 0, tables: [], explicit: 'flyway' })).toEqual({ format: 'flyway', reason: '-format flyway given.' });
  });

  it('-format on a folder that matches nothing is obeyed, not an error', () => {
    const d = decideFormat({ dir, scores: scores({}), sqlFiles: 2, tables: [], explicit: 'golang-migrate' });
    expect(d.format).toBe('golang-migrate');
    expect(d.reason).toBe('-format golang-migrate given; note: none of its 2 .sql files looks like a golang-migrate migration.');
  });

  it('a tracking table backed by the folder wins over a better folder score', () => {
    // test/fixtures/sqlx: 6 of 8 files are golang-migrate pairs, all 8 are sqlx's.
    const s = scores({ 'golang-migrate': 0.75, dbmate: 0.125, sqlx: 1 });
    const d = decideFormat({ dir, scores: s, sqlFiles: 8, tables: [GM_TABLE] });
    expect(d.format).toBe('golang-migrate');
    expect(d.reason).toBe(
      `6 of 8 .sql files are named like golang-migrate's (1_name.up.sql / 1_name.down.sql) and "public"."schema_migrations" has golang-migrate's shape; note: the folder looks more like sqlx's.`,
    );
    expect(decideFormat({ dir, scores: s, sqlFiles: 8, tables: [] }).format).toBe('sqlx');
  });

  it("dbmate's folder and table: the reason gives both", () => {
    const d = decideFormat({
      dir,
      scores: scores({ dbmate: 1 }),
      sqlFiles: 12,
      tables: [DBMATE_TABLE],
      evidence: { exists: true, matched: scores({ dbmate: 12, sqlx: 12 }), markerSample: { read: 12, marked: 12 } },
    });
    expect(d).toEqual({
      format: 'dbmate',
      reason: `12 of 12 .sql files carry dbmate's '-- migrate:up' marker and "public"."schema_migrations" has dbmate's shape.`,
    });
  });

  it('a table whose folder score is 0 does not win; it is noted', () => {
    const d = decideFormat({ dir, scores: scores({ dbmate: 1 }), sqlFiles: 5, tables: [GM_TABLE] });
    expect(d.format).toBe('dbmate');
    expect(d.reason).toContain(`note: "public"."schema_migrations" has golang-migrate's shape too`);
  });

  it('without tables the highest folder score wins', () => {
    expect(decideFormat({ dir, scores: scores({ flyway: 1 }), sqlFiles: 4, tables: [] })).toEqual({
      format: 'flyway',
      reason: "4 of 4 .sql files are named like Flyway's (V1__name.sql / R__name.sql).",
    });
    expect(decideFormat({ dir, scores: scores({ flyway: 0.5, 'golang-migrate': 0.25 }), sqlFiles: 4, tables: [] }).format).toBe('flyway');
  });

  it('golang-migrate pairs are also sqlx migrations: golang-migrate unless _sqlx_migrations exists', () => {
    const pairs = scores({ 'golang-migrate': 1, sqlx: 1 });
    const gm = decideFormat({ dir, scores: pairs, sqlFiles: 24, tables: [] });
    expect(gm.format).toBe('golang-migrate');
    expect(gm.reason).toContain('no _sqlx_migrations table exists');
    expect(gm.reason).toContain('-format sqlx');

    const sqlx = decideFormat({ dir, scores: pairs, sqlFiles: 24, tables: [SQLX_TABLE] });
    expect(sqlx.format).toBe('sqlx');
    expect(sqlx.reason).toContain(`"public"."_sqlx_migrations" is sqlx's tracking table`);

    // Both tables: still a tie on the folder, and sqlx leads the tie because its table exists.
    const both = decideFormat({ dir, scores: pairs, sqlFiles: 24, tables: [GM_TABLE, SQLX_TABLE] });
    expect(both.format).toBe('sqlx');
    expect(both.reason).toContain(`"public"."schema_migrations" has golang-migrate's shape too`);
  });

  it('breaks other ties golang-migrate > dbmate > sqlx > flyway', () => {
    const pick = (s: Partial<Record<FormatName, number>>) => decideFormat({ dir, scores: scores(s), sqlFiles: 2, tables: [] }).format;
    expect(pick({ 'golang-migrate': 0.5, dbmate: 0.5, sqlx: 0.5, flyway: 0.5 })).toBe('golang-migrate');
    expect(pick({ dbmate: 0.5, sqlx: 0.5, flyway: 0.5 })).toBe('dbmate');
    expect(pick({ sqlx: 0.5, flyway: 0.5 })).toBe('sqlx');
    expect(pick({ dbmate: 0.5, flyway: 0.5 })).toBe('dbmate');
    const tie = decideFormat({ dir, scores: scores({ dbmate: 0.5, flyway: 0.5 }), sqlFiles: 2, tables: [] });
    expect(tie.reason).toContain('the names fit Flyway as well (pass -format flyway');
  });

  it("sqlx's simple migrations without '-- migrate:up' are sqlx, not dbmate", () => {
    // dbmateFolderScore gives 0.5 for the names alone; sqlx takes every file.
    expect(decideFormat({ dir, scores: scores({ dbmate: 0.5, sqlx: 1 }), sqlFiles: 3, tables: [] }).format).toBe('sqlx');
  });

  it('no .sql files and exactly one known table: that table decides', () => {
    const d = decideFormat({ dir, scores: scores({}), sqlFiles: 0, tables: [table('flyway', 'flyway_schema_history', 'app')] });
    expect(d).toEqual({ format: 'flyway', reason: `db/migrations has no .sql files and "app"."flyway_schema_history" is Flyway's tracking table.` });
    const missing = decideFormat({
      dir,
      scores: scores({}),
      sqlFiles: 0,
      tables: [DBMATE_TABLE],
      evidence: { exists: false, matched: scores({}), markerSample: { read: 0, marked: 0 } },
    });
    expect(missing).toEqual({ format: 'dbmate', reason: `db/migrations does not exist and "public"."schema_migrations" has dbmate's shape.` });
  });

  it('no .sql files and several tables: one is assumed, and the reason says to pass -format', () => {
    const d = decideFormat({ dir, scores: scores({}), sqlFiles: 0, tables: [GM_TABLE, FLYWAY_TABLE] });
    expect(d.format).toBe('golang-migrate');
    expect(d.reason).toContain('flyway_schema_history');
    expect(d.reason).toContain('pass -format');
  });

  it('an empty folder and no tables: golang-migrate, the default, and the reason says so', () => {
    const d = decideFormat({ dir: 'migrations', scores: scores({}), sqlFiles: 0, tables: [] });
    expect(d.format).toBe('golang-migrate');
    expect(d.reason).toBe(
      'migrations has no .sql files and no tracking table was found, so Ladder uses golang-migrate (the default); pass -format to choose another tool.',
    );
  });

  it('.sql files that match no tool: an error saying what each tool expects and suggesting -format', () => {
    for (const tables of [[], [GM_TABLE]]) {
      const err = thrown(() => decideFormat({ dir: 'sql', scores: scores({}), sqlFiles: 3, tables }));
      expect(err.message).toBe(
        "None of the 3 .sql files in sql is named the way golang-migrate, dbmate, sqlx, Flyway or plain-SQL projects name migrations: golang-migrate expects 1_name.up.sql and 1_name.down.sql; dbmate expects 20240101120000_name.sql starting with '-- migrate:up'; sqlx expects 20240101120000_name.sql, or 20240101120000_name.up.sql and .down.sql; Flyway expects V1__name.sql and R__name.sql; plain SQL expects 001_name.sql, with 001_rollback.sql as its rollback.",
      );
      expect(err.hint).toContain('-format golang-migrate|dbmate|sqlx|flyway|plain');
    }
  });
});

describe('scoreFolder', () => {
  it('reads subfolders only when the top level has no .sql file: a Flyway project kept in v1/, v2/ (hidden folders skipped)', async () => {
    const dir = migrationsDir({ 'v1/V1__create.sql': 'select 1;', 'v2/V2__more.sql': 'select 2;', 'v2/notes.sql': '-- not a migration', '.git/V9__x.sql': '', 'README.md': 'x' });
    const scan = await scanFolder(dir);
    expect(scan.scores).toEqual(scores({ flyway: 2 / 3 }));
    expect(scan.matched.flyway).toBe(2);
    expect(decideFormat({ dir, scores: scan.scores, sqlFiles: scan.sqlFiles, tables: [], evidence: scan }).format).toBe('flyway');
    // With .sql files at the top, subfolders are not read (no other tool looks there).
    writeFileSync(join(dir, '1_a.up.sql'), 'select 1;');
    expect((await scanFolder(dir)).scores['golang-migrate']).toBe(1);
  });

  it("scores ./migrations (golang-migrate) 1 for golang-migrate, and 1 for sqlx, which reads the same pairs", async () => {
    expect(await scoreFolder(GOLANG)).toEqual(scores({ 'golang-migrate': 1, sqlx: 1 }));
  });

  it("scores dbmate's sample 1 for dbmate only (the markers rule sqlx out)", async () => {
    expect(await scoreFolder(DBMATE)).toEqual(scores({ dbmate: 1 }));
    const scan = await scanFolder(DBMATE);
    expect(scan.markerSample).toEqual({ read: 5, marked: 5 });
    expect(scan.sqlFiles).toBe(5);
  });

  it("scores sqlx's fixture 1 for sqlx, less for golang-migrate (pairs only) and dbmate (no markers)", async () => {
    expect(await scoreFolder(SQLX)).toEqual(scores({ 'golang-migrate': 0.75, dbmate: 0.125, sqlx: 1 }));
  });

  it("scores Flyway's fixture 1 for Flyway; its names break sqlx", async () => {
    expect(await scoreFolder(FLYWAY)).toEqual(scores({ flyway: 1 }));
    expect((await scanFolder(FLYWAY)).sqlxBreaker).toMatch(/^[RV].*\.sql$/);
  });

  it('a missing folder, a file and an empty folder score 0 everywhere', async () => {
    expect(await scoreFolder(join(tmpdir(), 'ladder-no-such-folder-xyz'))).toEqual(scores({}));
    expect(await scoreFolder(join(GOLANG, '000001_prereqs.up.sql'))).toEqual(scores({}));
    expect(await scanFolder(migrationsDir({}))).toMatchObject({ exists: true, sqlFiles: 0, scores: scores({}) });
    expect((await scanFolder(join(tmpdir(), 'ladder-no-such-folder-xyz'))).exists).toBe(false);
  });

  it("sqlx simple names without '-- migrate:up' score dbmate 0.5 and sqlx 1", async () => {
    const dir = migrationsDir({ '20240101120000_a.sql': 'create table a ();\n', '20240102120000_b.sql': 'create table b ();\n', 'README.md': '# notes' });
    expect(await scoreFolder(dir)).toEqual(scores({ dbmate: 0.5, sqlx: 1 }));
  });

  it('.sql files named for no tool score 0 everywhere, and detection says what each tool expects', async () => {
    const dir = migrationsDir({ 'schema.sql': 'create table a ();', 'seed.sql': 'select 1;', 'sub/V1__x.sql': 'select 1;' });
    const scan = await scanFolder(dir);
    expect(scan.scores).toEqual(scores({}));
    expect(scan.sqlFiles).toBe(2);
    const err = thrown(() => decideFormat({ dir, scores: scan.scores, sqlFiles: scan.sqlFiles, tables: [] }));
    expect(err.message).toContain('V1__name.sql');
  });

  it('reads only the first 20 dbmate files of 10,000 for markers (its speed is measured by npm run bench)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-detect-big-'));
    for (let i = 0; i < 10_000; i++) {
      const name = `${String(20240000000000 + i)}_m${i}.sql`;
      // Only the 20 first by name carry the marker: the score is 1 only if nothing else was read.
      writeFileSync(join(dir, name), i < 20 ? '-- migrate:up\nselect 1;\n-- migrate:down\n' : 'select 1;\n');
    }
    const scan = await scanFolder(dir);
    expect(scan.sqlFiles).toBe(10_000);
    expect(scan.markerSample).toEqual({ read: 20, marked: 20 });
    expect(scan.scores).toEqual(scores({ dbmate: 1 }));
  });
});

describe('findTrackingTables and detectFormat (PostgreSQL)', () => {
  let client: pg.Client;
  const sql = (text: string) => client.query(text);

  beforeAll(async () => {
    client = new pg.Client({ connectionString: await freshDatabase('detect') });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
  });

  /** A fresh schema holding the given DDL ({s} is the quoted schema). */
  async function schemaWith(name: string, ...ddl: string[]): Promise<string> {
    await sql(`CREATE SCHEMA "${name}"`);
    for (const d of ddl) await sql(d.replaceAll('{s}', `"${name}"`));
    return name;
  }

  it('finds nothing in an empty database', async () => {
    expect(await findTrackingTables(client, 'public')).toEqual([]);
    expect(await findTrackingTables(client, 'no_such_schema')).toEqual([]);
  });

  it("golang-migrate's schema_migrations (version bigint, dirty boolean), in public, in one query", async () => {
    await sql('CREATE TABLE public.schema_migrations (version bigint not null primary key, dirty boolean not null)');
    try {
      const sent: string[] = [];
      const counting = { query: (text: string, values?: unknown[]) => (sent.push(text), client.query(text, values)) } as unknown as Queryable;
      expect(await findTrackingTables(counting, 'public')).toEqual([GM_TABLE]);
      expect(sent).toHaveLength(1);
      expect(sent[0]).toContain('pg_attribute');
    } finally {
      await sql('DROP TABLE public.schema_migrations');
    }
  });

  it("dbmate's schema_migrations (version varchar), in a non-public schema", async () => {
    const s = await schemaWith('App Dbmate', 'CREATE TABLE {s}.schema_migrations (version varchar primary key)');
    expect(await findTrackingTables(client, s)).toEqual([table('dbmate', 'schema_migrations', 'App Dbmate')]);
    expect(await findTrackingTables(client, 'public')).toEqual([]);
    const text = await schemaWith('dbmate_text', 'CREATE TABLE {s}.schema_migrations (version text primary key)');
    expect(await findTrackingTables(client, text)).toEqual([table('dbmate', 'schema_migrations', text)]);
  });

  it('_sqlx_migrations and flyway_schema_history, side by side with golang-migrate', async () => {
    const s = await schemaWith(
      'mixed',
      'CREATE TABLE {s}.schema_migrations (version bigint not null primary key, dirty boolean not null)',
      `CREATE TABLE {s}._sqlx_migrations (
         version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
         success BOOLEAN NOT NULL, checksum BYTEA NOT NULL, execution_time BIGINT NOT NULL)`,
      `CREATE TABLE {s}.flyway_schema_history (
         "installed_rank" INT NOT NULL PRIMARY KEY, "version" VARCHAR(50), "description" VARCHAR(200) NOT NULL,
         "type" VARCHAR(20) NOT NULL, "script" VARCHAR(1000) NOT NULL, "checksum" INTEGER, "installed_by" VARCHAR(100) NOT NULL,
         "installed_on" TIMESTAMP NOT NULL DEFAULT now(), "execution_time" INTEGER NOT NULL, "success" BOOLEAN NOT NULL)`,
    );
    expect(await findTrackingTables(client, s)).toEqual([
      table('golang-migrate', 'schema_migrations', s),
      table('sqlx', '_sqlx_migrations', s),
      table('flyway', 'flyway_schema_history', s),
    ]);
  });

  it('a schema_migrations of neither shape is nobody\'s', async () => {
    const s = await schemaWith('odd', 'CREATE TABLE {s}.schema_migrations (version integer primary key)');
    expect(await findTrackingTables(client, s)).toEqual([]);
    const dirtyText = await schemaWith('odd2', 'CREATE TABLE {s}.schema_migrations (version text primary key, dirty boolean)');
    expect(await findTrackingTables(client, dirtyText)).toEqual([]);
  });

  it('takes table-name overrides: a name in the schema, or a schema and a name', async () => {
    await schemaWith(
      'custom',
      'CREATE TABLE {s}."My.Migrations" (version bigint not null primary key, dirty boolean not null)',
      'CREATE TABLE {s}.dbmate_log (version varchar primary key)',
    );
    await schemaWith('ops', 'CREATE TABLE {s}.history (version varchar primary key)');
    expect(await findTrackingTables(client, 'custom')).toEqual([]);
    expect(await findTrackingTables(client, 'custom', { 'golang-migrate': 'My.Migrations', dbmate: 'dbmate_log' })).toEqual([
      table('golang-migrate', 'My.Migrations', 'custom'),
      table('dbmate', 'dbmate_log', 'custom'),
    ]);
    expect(await findTrackingTables(client, 'custom', { dbmate: { schema: 'ops', table: 'history' } })).toEqual([table('dbmate', 'history', 'ops')]);
  });

  it('detectFormat puts the folder and the database together', async () => {
    const empty = await schemaWith('detect_empty');
    expect(await detectFormat(GOLANG, client, empty)).toMatchObject({ format: 'golang-migrate' });

    const d = await detectFormat(DBMATE, client, 'App Dbmate');
    expect(d).toEqual({
      format: 'dbmate',
      reason: `5 of 5 .sql files carry dbmate's '-- migrate:up' marker and "App Dbmate"."schema_migrations" has dbmate's shape.`,
    });

    const sqlx = await schemaWith('detect_sqlx', 'CREATE TABLE {s}._sqlx_migrations (version bigint primary key, success boolean not null, checksum bytea not null)');
    expect((await detectFormat(GOLANG, client, sqlx)).format).toBe('sqlx');

    const explicit = await detectFormat(FLYWAY, client, 'mixed', 'sqlx');
    expect(explicit.format).toBe('sqlx');
    expect(explicit.reason).toContain("the folder looks like Flyway's");

    const nothing = await detectFormat(join(tmpdir(), 'ladder-no-such-folder-xyz'), client, 'ops', undefined, { dbmate: 'history' });
    expect(nothing.format).toBe('dbmate');
    expect(nothing.reason).toContain('does not exist');
  });
});
