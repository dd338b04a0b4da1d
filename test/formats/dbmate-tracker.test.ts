import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { freshDatabase, query } from '../helpers/db.js';
import { catalogSnapshot } from '../../src/db/catalog.js';
import { advisoryLockId } from '../../src/formats/golang-migrate/lock-id.js';
import { LadderError } from '../../src/errors.js';
import type { FormatMigration } from '../../src/formats/driver.js';
import type { Queryable } from '../../src/formats/types.js';
import { dbmateTracker, isDbmateTable, readDbmateSource, resolveDbmateTable, searchPathSchema } from '../../src/formats/dbmate/index.js';
import { dirOf, ladderMigrate, ladderRollback, SAMPLE, trackerFor, withClient } from '../fixtures/dbmate/dbmate-cli.js';

const SAMPLE_VERSIONS = ['20240110090000', '20240112143000', '20240115080000', '20240120101500', '20240201120000'];
const versions = (url: string, table = 'schema_migrations') => query(url, `select version from ${table} order by version`).then((r) => r.map((x) => x.version));

/** Records every statement sent through it, for asserting the exact sequence dbmate sends. */
function recording(c: pg.Client): { db: Queryable; sent: string[] } {
  const sent: string[] = [];
  const db = {
    query: (text: string, values?: unknown[]) => {
      sent.push(text);
      return c.query(text, values);
    },
  } as unknown as Queryable;
  return { db, sent };
}

const migration = async (files: Record<string, string>): Promise<FormatMigration[]> => (await readDbmateSource(dirOf(files))).migrations;

describe('dbmate tracking table', () => {
  it('resolves the table as dbmate does: schema.table override, else the given schema, else public', () => {
    expect(resolveDbmateTable('app')).toEqual({ schema: 'app', table: 'schema_migrations' });
    expect(resolveDbmateTable('app', 'migrations')).toEqual({ schema: 'app', table: 'migrations' });
    expect(resolveDbmateTable('app', 'ops.Log')).toEqual({ schema: 'ops', table: 'Log' });
    expect(resolveDbmateTable('app', '.log')).toEqual({ schema: 'app', table: 'log' });
    expect(resolveDbmateTable('')).toEqual({ schema: 'public', table: 'schema_migrations' });
    expect(() => resolveDbmateTable('app', 'a.b.c')).toThrow(LadderError);
    expect(() => resolveDbmateTable('app', 'ops.')).toThrow(LadderError);
    expect(searchPathSchema('postgres://u@h/db?sslmode=disable&search_path=%20app%20,public')).toBe('app');
    expect(searchPathSchema('postgres://u@h/db?sslmode=disable')).toBe('');
  });

  it('describes itself: quoted name, a Ladder-only lock key, no tool lock', () => {
    const t = dbmateTracker({ schema: 'public', databaseName: 'shop' });
    expect(t.table).toBe('"public"."schema_migrations"');
    expect(t.lockId).toBe(advisoryLockId('shop', 'public', 'schema_migrations'));
    expect(t.lockId).not.toBe(dbmateTracker({ schema: 'public', databaseName: 'other' }).lockId);
    expect(t.toolLocks).toBe(false);
    expect(dbmateTracker({ schema: 'public', databaseName: 'shop', table: 'ops.Log' }).table).toBe('"ops"."Log"');
  });

  it("creates dbmate's table: one varchar primary-key column, idempotently; readApplied is [] before", async () => {
    const url = await freshDatabase('dbmate_table');
    await withClient(url, async (c) => {
      const t = await trackerFor(c);
      expect(await t.readApplied(c)).toEqual([]);
      expect(await isDbmateTable(c, 'public', 'schema_migrations')).toBe(false);
      await t.ensureTable(c);
      await t.ensureTable(c);
      expect(await isDbmateTable(c, 'public', 'schema_migrations')).toBe(true);
      expect(await t.readApplied(c)).toEqual([]);
    });
    expect(await query(url, "select column_name, data_type, is_nullable, character_maximum_length from information_schema.columns where table_name = 'schema_migrations'")).toEqual([
      { column_name: 'version', data_type: 'character varying', is_nullable: 'NO', character_maximum_length: null },
    ]);
    expect(await query(url, "select conname, pg_get_constraintdef(oid) def from pg_constraint where conrelid = 'schema_migrations'::regclass")).toEqual([
      { conname: 'schema_migrations_pkey', def: 'PRIMARY KEY (version)' },
    ]);
  });

  it('creates a missing schema for a schema.table override, as dbmate does on 3F000', async () => {
    const url = await freshDatabase('dbmate_schema');
    await withClient(url, async (c) => {
      const t = await trackerFor(c, 'Ops.dbmate_log');
      await t.ensureTable(c);
      expect(t.table).toBe('"Ops"."dbmate_log"');
      expect(await isDbmateTable(c, 'Ops', 'dbmate_log')).toBe(true);
    });
    expect(await query(url, 'select count(*)::int n from "Ops".dbmate_log')).toEqual([{ n: 0 }]);
  });

  it("tells golang-migrate's schema_migrations apart and refuses to write to it", async () => {
    const url = await freshDatabase('dbmate_clash');
    await query(url, 'create table schema_migrations (version bigint not null primary key, dirty boolean not null)');
    await query(url, 'create table text_log (version text primary key)');
    await query(url, 'create table varchar_dirty (version varchar primary key, dirty boolean)');
    await query(url, 'create table extended (version varchar primary key, applied_at timestamptz default now())');
    await withClient(url, async (c) => {
      expect(await isDbmateTable(c, 'public', 'schema_migrations')).toBe(false);
      expect(await isDbmateTable(c, 'public', 'text_log')).toBe(true);
      expect(await isDbmateTable(c, 'public', 'varchar_dirty')).toBe(false);
      expect(await isDbmateTable(c, 'public', 'extended')).toBe(true);
      expect(await isDbmateTable(c, 'public', 'missing')).toBe(false);
      const err = await (await trackerFor(c)).ensureTable(c).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LadderError);
      expect((err as LadderError).message).toContain('is not a dbmate migrations table');
      expect((err as LadderError).hint).toContain('golang-migrate');
    });
  });
});

describe('applying the sample project with the dbmate tracker', () => {
  it('applies all, stores exactly the versions, rolls back to nothing and reads the folder again', async () => {
    const url = await freshDatabase('dbmate_sample');
    const empty = await withClient(url, (c) => catalogSnapshot(c, undefined, { excludeTables: ['schema_migrations'] }));
    const listing = await readDbmateSource(SAMPLE);
    expect(await ladderMigrate(url, listing)).toEqual(SAMPLE_VERSIONS);
    expect(await query(url, 'select * from schema_migrations order by version')).toEqual(SAMPLE_VERSIONS.map((version) => ({ version })));
    await withClient(url, async (c) => {
      const applied = await (await trackerFor(c)).readApplied(c);
      expect(applied).toEqual([...SAMPLE_VERSIONS].reverse().map((v) => ({ key: v, version: v, success: true }))); // dbmate: order by version desc
    });
    // the objects are there, the concurrently built index is valid, the seed rows are in
    expect(await query(url, "select indisvalid from pg_index where indexrelid = 'projects_name_lower_idx'::regclass")).toEqual([{ indisvalid: true }]);
    expect(await query(url, 'select code, monthly_cents from plans order by monthly_cents')).toEqual([
      { code: 'free', monthly_cents: 0 },
      { code: 'team', monthly_cents: 1200 },
      { code: 'business', monthly_cents: 4900 },
    ]);
    await query(url, "insert into accounts (email) values ('a@example.com')");
    await query(url, "insert into projects (account_id, name) select id, 'Site' from accounts");
    expect(await query(url, 'select plan_code, status::text from accounts, projects')).toEqual([{ plan_code: 'free', status: 'draft' }]);
    await query(url, 'delete from projects; delete from accounts');
    expect(await ladderMigrate(url, listing)).toEqual([]); // nothing pending

    const rolledBack: string[] = [];
    for (let i = 0; i < SAMPLE_VERSIONS.length; i++) rolledBack.push(await ladderRollback(url, listing));
    expect(rolledBack).toEqual([...SAMPLE_VERSIONS].reverse());
    expect(await versions(url)).toEqual([]);
    expect(await withClient(url, (c) => catalogSnapshot(c, undefined, { excludeTables: ['schema_migrations'] }))).toEqual(empty);

    const again = await readDbmateSource(SAMPLE);
    expect(again).toEqual(listing);
    expect(await ladderMigrate(url, again, { limit: 2 })).toEqual(SAMPLE_VERSIONS.slice(0, 2));
    expect(await versions(url)).toEqual(SAMPLE_VERSIONS.slice(0, 2));
  });

  it('sends BEGIN, the section, the INSERT and COMMIT; with transaction:false only the section and the INSERT', async () => {
    const url = await freshDatabase('dbmate_sequence');
    const [plain, noTx] = await migration({
      '1_plain.sql': '-- migrate:up\ncreate table t (id int);\n-- migrate:down\ndrop table t;\n',
      '2_notx.sql': '-- migrate:up transaction:false\ncreate index concurrently t_id on t (id);\n-- migrate:down transaction:false\ndrop index concurrently t_id;\n',
    });
    await withClient(url, async (c) => {
      const t = await trackerFor(c);
      await t.ensureTable(c);
      const { db, sent } = recording(c);
      const timing = await t.applyUp(db, plain!);
      expect(typeof timing.durationNs).toBe('bigint');
      expect(timing.durationNs > 0n).toBe(true);
      await t.applyUp(db, noTx!);
      await t.applyDown(db, noTx!);
      await t.applyDown(db, plain!);
      expect(sent).toEqual([
        'BEGIN',
        '-- migrate:up\ncreate table t (id int);\n',
        'insert into "public"."schema_migrations" (version) values ($1)',
        'COMMIT',
        '-- migrate:up transaction:false\ncreate index concurrently t_id on t (id);\n',
        'insert into "public"."schema_migrations" (version) values ($1)',
        '-- migrate:down transaction:false\ndrop index concurrently t_id;\n',
        'delete from "public"."schema_migrations" where version = $1',
        'BEGIN',
        '-- migrate:down\ndrop table t;\n',
        'delete from "public"."schema_migrations" where version = $1',
        'COMMIT',
      ]);
    });
    expect(await versions(url)).toEqual([]);
  });

  it('keeps versions as text: 001 and 1 are two rows', async () => {
    const url = await freshDatabase('dbmate_text_versions');
    const listing = await readDbmateSource(dirOf({ '001_a.sql': '-- migrate:up\n-- migrate:down\n', '1_b.sql': '-- migrate:up\n-- migrate:down\n' }));
    expect(await ladderMigrate(url, listing)).toEqual(['001', '1']);
    expect(await versions(url)).toEqual(['001', '1']);
  });

  it('rolls a failed transactional migration back whole and passes the PostgreSQL error through unchanged', async () => {
    const url = await freshDatabase('dbmate_fail_tx');
    const [bad] = await migration({ '1_bad.sql': '-- migrate:up\ncreate table half (id int);\nselect 1/0;\n-- migrate:down\ndrop table half;\n' });
    const err = await withClient(url, async (c) => {
      const t = await trackerFor(c);
      await t.ensureTable(c);
      const e = await t.applyUp(c, bad!).catch((x: unknown) => x);
      expect((await c.query('select 1 as alive')).rows).toEqual([{ alive: 1 }]); // no aborted transaction is left open
      return e;
    });
    expect(err).toBeInstanceOf(pg.DatabaseError);
    expect(err).toMatchObject({ code: '22012', message: 'division by zero' });
    expect(await versions(url)).toEqual([]);
    expect(await query(url, "select to_regclass('half') is null gone")).toEqual([{ gone: true }]);
  });

  it('reports a syntax error with the position within the section, as dbmate computes its line and column from', async () => {
    const url = await freshDatabase('dbmate_syntax');
    const [bad] = await migration({ '1_bad.sql': '-- migrate:up\nselect 1;\nselec 2;\n-- migrate:down\n' });
    const err = await withClient(url, async (c) => {
      const t = await trackerFor(c);
      await t.ensureTable(c);
      return t.applyUp(c, bad!).catch((x: unknown) => x);
    });
    expect(err).toMatchObject({ code: '42601', position: '25', message: 'syntax error at or near "selec"' });
  });

  it('with transaction:false a multi-statement section is still one implicit transaction, and the INSERT is separate', async () => {
    const url = await freshDatabase('dbmate_fail_notx');
    const [bad, good] = await migration({
      '1_bad.sql': '-- migrate:up transaction:false\ncreate table nt (id int); select 1/0;\n-- migrate:down\n',
      '2_good.sql': '-- migrate:up transaction:false\ncreate table kept (id int);\n-- migrate:down\n',
    });
    await withClient(url, async (c) => {
      const t = await trackerFor(c);
      await t.ensureTable(c);
      await expect(t.applyUp(c, bad!)).rejects.toMatchObject({ code: '22012' });
      await t.recordApplied(c, good!); // the row exists already: the body commits, then the INSERT fails
      await expect(t.applyUp(c, good!)).rejects.toMatchObject({ code: '23505' });
    });
    expect(await query(url, "select to_regclass('nt') is null nt_gone, to_regclass('kept') is not null kept")).toEqual([{ nt_gone: true, kept: true }]);
    expect(await versions(url)).toEqual(['2']);
  });

  it('refuses files dbmate cannot run before sending anything', async () => {
    const listing = await readDbmateSource(
      dirOf({
        '1_nodown.sql': '-- migrate:up\ncreate table t ();\n',
        '2_noup.sql': 'create table t ();\n',
        '3_two.sql': '-- migrate:up\n-- migrate:down\n-- migrate:up\n-- migrate:down\n',
      }),
    );
    const sent: unknown[] = [];
    const db = { query: (...args: unknown[]) => (sent.push(args), Promise.resolve({ rows: [] })) } as unknown as Queryable;
    const t = dbmateTracker({ schema: 'public', databaseName: 'x' });
    const [nodown, noup, two] = listing.migrations;
    const down = await t.applyDown(db, nodown!).catch((e: unknown) => e);
    expect(down).toBeInstanceOf(LadderError);
    expect((down as LadderError).message).toBe(
      "1_nodown.sql has no down section dbmate can run: dbmate requires each migration to define a down block with '-- migrate:down'.",
    );
    await expect(t.applyUp(db, nodown!)).rejects.toThrow(/1_nodown.sql has no up section dbmate can run: dbmate requires each migration to define a down block/);
    await expect(t.applyUp(db, noup!)).rejects.toThrow("dbmate requires each migration to define an up block with '-- migrate:up'");
    await expect(t.applyDown(db, two!)).rejects.toThrow(/3_two.sql has 2 '-- migrate:up' sections/);
    // a migration built by hand without a down
    await expect(t.applyDown(db, { key: '9', version: '9', description: '', kind: 'versioned' })).rejects.toThrow('9 has no down section');
    expect(sent).toEqual([]);
  });

  it('recordApplied and recordReverted write or remove the row and run nothing', async () => {
    const url = await freshDatabase('dbmate_record');
    const [m] = await migration({ '20240101000000_x.sql': '-- migrate:up\ncreate table never (id int);\n-- migrate:down\ndrop table never;\n' });
    await withClient(url, async (c) => {
      const t = await trackerFor(c);
      await t.ensureTable(c);
      await t.recordApplied(c, m!);
      expect(await t.readApplied(c)).toEqual([{ key: '20240101000000', version: '20240101000000', success: true }]);
      expect((await c.query("select to_regclass('never') is null absent")).rows).toEqual([{ absent: true }]);
      await t.recordReverted(c, m!);
      expect(await t.readApplied(c)).toEqual([]);
    });
  });

  it('uses the table override for every statement', async () => {
    const url = await freshDatabase('dbmate_override');
    const listing = await readDbmateSource(SAMPLE);
    await ladderMigrate(url, listing, { table: 'ops.dbmate_log', limit: 1 });
    expect(await versions(url, 'ops.dbmate_log')).toEqual([SAMPLE_VERSIONS[0]]);
    expect(await query(url, "select to_regclass('public.schema_migrations') is null none")).toEqual([{ none: true }]);
    expect(await ladderRollback(url, listing, 'ops.dbmate_log')).toBe(SAMPLE_VERSIONS[0]);
    expect(await versions(url, 'ops.dbmate_log')).toEqual([]);
  });
});
