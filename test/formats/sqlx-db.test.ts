import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { freshDatabase, query } from '../helpers/db.js';
import {
  readSqlxSource,
  sqlxChecksumMismatches,
  sqlxDirtyVersion,
  sqlxInfoLines,
  sqlxRevertPlan,
  sqlxRunPlan,
  sqlxTracker,
  type SqlxListing,
} from '../../src/formats/sqlx/index.js';
import { LadderError } from '../../src/errors.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/sqlx');
const sha384 = (b: Buffer) => createHash('sha384').update(b).digest('hex');

interface Row {
  version: string;
  description: string;
  success: boolean;
  checksum: string;
  execution_time: string;
  installed_on: Date;
}
const rowsOf = (url: string) =>
  query<Row>(url, "select version::text, description, success, encode(checksum, 'hex') as checksum, execution_time::text, installed_on from _sqlx_migrations order by version");

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

/** What `sqlx migrate run` sends for one migration (spec §2.3-2.4), written out by hand. */
async function sqlxApplies(c: pg.Client, file: string, version: string, description: string, elapsedNs: string) {
  const bytes = await readFile(join(FIXTURE, file));
  const sql = bytes.toString('utf8');
  const noTx = sql.startsWith('-- no-transaction');
  if (!noTx) await c.query('BEGIN');
  await c.query(sql);
  await c.query(
    '\n    INSERT INTO _sqlx_migrations ( version, description, success, checksum, execution_time )\n    VALUES ( $1, $2, TRUE, $3, -1 )\n                ',
    [version, description, createHash('sha384').update(bytes).digest()],
  );
  if (!noTx) await c.query('COMMIT');
  await c.query('\n    UPDATE _sqlx_migrations\n    SET execution_time = $1\n    WHERE version = $2\n                ', [elapsedNs, version]);
}

describe('sqlx project: sqlx applies half, Ladder continues, reverts and re-reads', () => {
  let url: string;
  let c: pg.Client;
  let listing: SqlxListing;
  const tracker = () => sqlxTracker({ schema: 'public', databaseName: new URL(url).pathname.slice(1) });

  beforeAll(async () => {
    url = await freshDatabase('sqlx_interop');
    c = await connect(url);
    listing = await readSqlxSource(FIXTURE);
    // sqlx migrate run --target-version 20240102090000, as sqlx-cli 0.8.6 writes it.
    await c.query(
      '\nCREATE TABLE IF NOT EXISTS _sqlx_migrations (\n    version BIGINT PRIMARY KEY,\n    description TEXT NOT NULL,\n    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),\n    success BOOLEAN NOT NULL,\n    checksum BYTEA NOT NULL,\n    execution_time BIGINT NOT NULL\n);\n                ',
    );
    await sqlxApplies(c, '20240101090000_create_users.sql', '20240101090000', 'create users', '3527000');
    await sqlxApplies(c, '20240102090000_create_posts.up.sql', '20240102090000', 'create posts', '4210000');
  });
  afterAll(async () => {
    await c?.end();
  });

  it('reads sqlx rows: order, success flag, hex checksum, execution time', async () => {
    const applied = await tracker().readApplied(c);
    expect(applied.map((r) => [r.key, r.description, r.success, r.checksum, r.executionTimeMs])).toEqual([
      ['20240101090000', 'create users', true, listing.migrations[0]!.checksum, 3.527],
      ['20240102090000', 'create posts', true, listing.migrations[1]!.checksum, 4.21],
    ]);
    const raw = await tracker().readRows(c);
    expect(raw.map((r) => r.executionTimeNs)).toEqual([3527000n, 4210000n]);
    expect(sqlxChecksumMismatches(listing.migrations, applied)).toEqual([]);
    expect(sqlxInfoLines(listing, applied)).toEqual([
      '20240101090000/installed create users',
      '20240102090000/installed create posts',
      '20240103090000/pending index posts published at',
      '20240104090000/pending create comments',
      '20240105090000/pending seed roles',
    ]);
  });

  it('ensureTable leaves sqlx\'s table alone (IF NOT EXISTS) and the shape is sqlx\'s', async () => {
    await tracker().ensureTable(c);
    const cols = await query(
      url,
      "select column_name, data_type, is_nullable, column_default from information_schema.columns where table_name = '_sqlx_migrations' order by ordinal_position",
    );
    expect(cols).toEqual([
      { column_name: 'version', data_type: 'bigint', is_nullable: 'NO', column_default: null },
      { column_name: 'description', data_type: 'text', is_nullable: 'NO', column_default: null },
      { column_name: 'installed_on', data_type: 'timestamp with time zone', is_nullable: 'NO', column_default: 'now()' },
      { column_name: 'success', data_type: 'boolean', is_nullable: 'NO', column_default: null },
      { column_name: 'checksum', data_type: 'bytea', is_nullable: 'NO', column_default: null },
      { column_name: 'execution_time', data_type: 'bigint', is_nullable: 'NO', column_default: null },
    ]);
    expect(await rowsOf(url)).toHaveLength(2);
  });

  it('applies the rest as sqlx would: rows with sha384, success, ns execution time; no-transaction runs outside a transaction', async () => {
    const t = tracker();
    const plan = sqlxRunPlan(listing, await t.readApplied(c));
    expect(plan.error).toBeUndefined();
    expect(plan.apply.map((m) => m.key)).toEqual(['20240103090000', '20240104090000', '20240105090000']);
    for (const m of plan.apply) {
      const timing = await t.applyUp(c, m);
      expect(timing.durationNs).toBeGreaterThan(0n);
      const [row] = await query<{ execution_time: string }>(url, 'select execution_time::text from _sqlx_migrations where version = $1', [m.key]);
      expect(row!.execution_time).toBe(String(timing.durationNs));
    }
    const rows = await rowsOf(url);
    const files = [
      '20240101090000_create_users.sql',
      '20240102090000_create_posts.up.sql',
      '20240103090000_index_posts_published_at.up.sql',
      '20240104090000_create_comments.up.sql',
      '20240105090000_seed_roles.sql',
    ];
    const expected = await Promise.all(files.map(async (f) => sha384(await readFile(join(FIXTURE, f)))));
    expect(rows.map((r) => [r.version, r.description, r.success, r.checksum])).toEqual([
      ['20240101090000', 'create users', true, expected[0]],
      ['20240102090000', 'create posts', true, expected[1]],
      ['20240103090000', 'index posts published at', true, expected[2]],
      ['20240104090000', 'create comments', true, expected[3]],
      ['20240105090000', 'seed roles', true, expected[4]],
    ]);
    for (const r of rows.slice(2)) expect(BigInt(r.execution_time)).toBeGreaterThan(0n);
    // CREATE INDEX CONCURRENTLY only succeeds outside a transaction block.
    expect(await query(url, "select indisvalid from pg_index where indexrelid = 'posts_published_at_idx'::regclass")).toEqual([{ indisvalid: true }]);
    expect(await query(url, 'select name from roles order by name')).toEqual([{ name: 'admin' }, { name: 'editor' }, { name: 'reader' }]);
    expect(sqlxRunPlan(listing, await t.readApplied(c)).apply).toEqual([]);
  });

  it('reverts as sqlx migrate revert does: highest applied with a down file, row deleted', async () => {
    const t = tracker();
    let plan = sqlxRevertPlan(listing, await t.readApplied(c));
    expect(plan.revert.map((m) => m.key)).toEqual(['20240104090000']); // 20240105090000 is simple: passed over
    await t.applyDown(c, plan.revert[0]!);
    expect(await query(url, "select to_regclass('comments') as t")).toEqual([{ t: null }]);
    plan = sqlxRevertPlan(listing, await t.readApplied(c));
    expect(plan.revert.map((m) => m.key)).toEqual(['20240103090000']);
    await t.applyDown(c, plan.revert[0]!); // -- no-transaction: DROP INDEX CONCURRENTLY
    expect(await query(url, "select to_regclass('posts_published_at_idx') as i")).toEqual([{ i: null }]);
    expect((await rowsOf(url)).map((r) => r.version)).toEqual(['20240101090000', '20240102090000', '20240105090000']);
  });

  it('refuses to revert a simple migration before running anything', async () => {
    const simple = listing.migrations.find((m) => m.key === '20240105090000')!;
    const err = await tracker()
      .applyDown(c, simple)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LadderError);
    expect((err as LadderError).message).toBe('sqlx cannot revert version 20240105090000: it has no .down.sql file.');
    expect((err as LadderError).hint).toBeTruthy();
    expect(await query(url, 'select count(*)::int as n from roles')).toEqual([{ n: 3 }]);
    expect((await rowsOf(url)).map((r) => r.version)).toContain('20240105090000');
  });

  it('re-applies the reverted migrations and reads the same rows back', async () => {
    const t = tracker();
    const plan = sqlxRunPlan(listing, await t.readApplied(c));
    // Out of order for sqlx (below 20240105090000) and applied silently, as sqlx does.
    expect(plan.apply.map((m) => m.key)).toEqual(['20240103090000', '20240104090000']);
    for (const m of plan.apply) await t.applyUp(c, m);
    const applied = await t.readApplied(c);
    expect(applied.map((r) => r.key)).toEqual(listing.migrations.map((m) => m.key));
    expect(applied.map((r) => r.checksum)).toEqual(listing.migrations.map((m) => m.checksum));
    expect(applied.every((r) => r.success)).toBe(true);
  });

  it('record-only marking writes and deletes exactly sqlx\'s row', async () => {
    const t = tracker();
    const m = listing.migrations.find((x) => x.key === '20240104090000')!;
    await t.recordReverted(c, m);
    expect((await rowsOf(url)).map((r) => r.version)).not.toContain('20240104090000');
    expect(await query(url, "select to_regclass('comments') is not null as kept")).toEqual([{ kept: true }]);
    await t.recordApplied(c, m);
    const [row] = await query<Row>(url, "select version::text, description, success, encode(checksum,'hex') as checksum, execution_time::text from _sqlx_migrations where version = 20240104090000");
    expect(row).toEqual({ version: '20240104090000', description: 'create comments', success: true, checksum: m.checksum, execution_time: '-1' });
  });
});

describe('sqlx failures, checksum drift and dirty rows', () => {
  let url: string;
  let c: pg.Client;
  let dir: string;
  beforeAll(async () => {
    url = await freshDatabase('sqlx_fail');
    c = await connect(url);
    dir = await mkdtemp(join(tmpdir(), 'ladder-sqlx-db-'));
  });
  afterAll(async () => {
    await c?.end();
    await rm(dir, { recursive: true, force: true });
  });
  const tracker = () => sqlxTracker({ schema: 'public', databaseName: 'x' });

  it('creates the table from nothing with sqlx\'s DDL', async () => {
    await tracker().ensureTable(c);
    expect(await query(url, "select conname from pg_constraint where conrelid = '_sqlx_migrations'::regclass")).toEqual([{ conname: '_sqlx_migrations_pkey' }]);
    expect(await tracker().readApplied(c)).toEqual([]);
  });

  it('rolls a failing transactional migration back and writes no row', async () => {
    await writeFile(join(dir, '1_ok.sql'), 'CREATE TABLE a (id int);');
    await writeFile(join(dir, '2_fails.sql'), 'CREATE TABLE b (id int);\nSELECT 1/0;');
    const listing = await readSqlxSource(dir);
    await tracker().applyUp(c, listing.migrations[0]!);
    await expect(tracker().applyUp(c, listing.migrations[1]!)).rejects.toMatchObject({ code: '22012' });
    expect(await query(url, "select to_regclass('b') as t")).toEqual([{ t: null }]);
    expect((await rowsOf(url)).map((r) => r.version)).toEqual(['1']);
    // The connection is usable again (the transaction was rolled back).
    expect((await c.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
  });

  it('a failing -- no-transaction migration writes no row (one simple query is still one implicit transaction)', async () => {
    await writeFile(join(dir, '3_notx.sql'), '-- no-transaction\nCREATE TABLE c (id int);\nSELECT 1/0;');
    const listing = await readSqlxSource(dir);
    const m = listing.migrations.find((x) => x.key === '3')!;
    expect(m.up!.transaction).toBe(false);
    await expect(tracker().applyUp(c, m)).rejects.toMatchObject({ code: '22012' });
    expect(await query(url, "select to_regclass('c') as t")).toEqual([{ t: null }]);
    expect((await rowsOf(url)).map((r) => r.version)).toEqual(['1']);
    await rm(join(dir, '3_notx.sql'));
    await rm(join(dir, '2_fails.sql'));
  });

  it('writes the row in the body\'s transaction: a failing INSERT undoes the body; without a transaction it does not', async () => {
    const dup = await mkdtemp(join(tmpdir(), 'ladder-sqlx-dup-'));
    try {
      await writeFile(join(dup, '1_again.sql'), 'CREATE TABLE d (id int);');
      await writeFile(join(dup, '2_x.sql'), '');
      const [again] = (await readSqlxSource(dup)).migrations;
      await expect(tracker().applyUp(c, again!)).rejects.toMatchObject({ code: '23505' });
      expect(await query(url, "select to_regclass('d') as t")).toEqual([{ t: null }]);
      await writeFile(join(dup, '1_again.sql'), '-- no-transaction\nCREATE TABLE d (id int);');
      const [notx] = (await readSqlxSource(dup)).migrations;
      await expect(tracker().applyUp(c, notx!)).rejects.toMatchObject({ code: '23505' });
      expect(await query(url, "select to_regclass('d') is not null as kept")).toEqual([{ kept: true }]);
    } finally {
      await rm(dup, { recursive: true, force: true });
    }
  });

  it('detects an edited file (checksum mismatch) and repairs it on request', async () => {
    await writeFile(join(dir, '1_ok.sql'), 'CREATE TABLE a (id int); -- edited');
    const listing = await readSqlxSource(dir);
    const applied = await tracker().readApplied(c);
    expect(sqlxChecksumMismatches(listing.migrations, applied)).toEqual([
      { version: '1', applied: sha384(Buffer.from('CREATE TABLE a (id int);')), local: sha384(Buffer.from('CREATE TABLE a (id int); -- edited')) },
    ]);
    expect(sqlxRunPlan(listing, applied).error).toBe('migration 1 was previously applied but has been modified');
    await tracker().repairChecksum(c, listing.migrations[0]!);
    expect(sqlxChecksumMismatches(listing.migrations, await tracker().readApplied(c))).toEqual([]);
  });

  it('reports a success = false row as dirty and can remove it', async () => {
    await c.query("insert into _sqlx_migrations (version, description, success, checksum, execution_time) values (7, 'half', false, '\\x00', -1)");
    const applied = await tracker().readApplied(c);
    expect(applied.find((r) => r.key === '7')).toMatchObject({ success: false, executionTimeMs: undefined });
    expect(sqlxDirtyVersion(applied)).toBe('7');
    expect(sqlxRunPlan(await readSqlxSource(dir), applied).error).toBe(
      'migration 7 is partially applied; fix and remove row from `_sqlx_migrations` table',
    );
    expect(await tracker().removeDirtyRow(c, '7')).toBe(true);
    expect(await tracker().removeDirtyRow(c, '1')).toBe(false);
    expect(sqlxDirtyVersion(await tracker().readApplied(c))).toBeNull();
  });
});

describe('sqlx table missing', () => {
  it('readApplied returns [] without creating the table', async () => {
    const url = await freshDatabase('sqlx_empty');
    const c = await connect(url);
    try {
      expect(await sqlxTracker({ schema: 'public', databaseName: 'x' }).readApplied(c)).toEqual([]);
      expect(await query(url, "select to_regclass('_sqlx_migrations') as t")).toEqual([{ t: null }]);
    } finally {
      await c.end();
    }
  });
});

