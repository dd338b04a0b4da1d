import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import pg from 'pg';
import { freshDatabase, query } from '../helpers/db.js';
import {
  flywayDueRepeatables,
  flywayInfo,
  flywayPending,
  flywayTracker,
  flywayValidate,
  readFlywaySource,
  type FlywayListing,
} from '../../src/formats/flyway/index.js';
import { LadderError } from '../../src/errors.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/flyway');

/** Flyway's checksum written the way ChecksumCalculator reads: line by line, BOM off the first line. */
function javaChecksum(text: string): number {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[0]!.startsWith('\uFEFF')) lines[0] = lines[0]!.slice(1);
  return crc32(Buffer.from(lines.join(''), 'utf8')) | 0;
}
const fileChecksum = async (rel: string) => javaChecksum(await readFile(join(FIXTURE, rel), 'utf8'));

interface Row {
  installed_rank: number;
  version: string | null;
  description: string;
  type: string;
  script: string;
  checksum: number | null;
  installed_by: string;
  installed_on: Date;
  execution_time: number;
  success: boolean;
}
const history = (url: string) => query<Row>(url, 'select * from flyway_schema_history order by installed_rank');

async function connect(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

const DDL = `CREATE TABLE "public"."flyway_schema_history" (
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
);
ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");`;

const INSERT =
  'INSERT INTO "public"."flyway_schema_history" ("installed_rank", "version", "description", "type", "script", "checksum", "installed_by", "execution_time", "success") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)';

describe('Flyway project: Flyway applies half, Ladder continues, undoes and re-reads', () => {
  let url: string;
  let c: pg.Client;
  let user: string;
  let listing: FlywayListing;
  /** The project as it stands: the sample, then with the repeatable edited. */
  let current: FlywayListing;
  let work: string;
  const tracker = () => flywayTracker({ schema: 'public', databaseName: 'x' });

  beforeAll(async () => {
    url = await freshDatabase('flyway_interop');
    c = await connect(url);
    user = (await c.query('select current_user as u')).rows[0].u;
    listing = await readFlywaySource(FIXTURE);
    current = listing;
    work = await mkdtemp(join(tmpdir(), 'ladder-flyway-db-'));
    // flyway migrate -target=1.1, as Flyway 13 writes it (spec §3.5-3.7).
    await c.query(DDL);
    let rank = 0;
    for (const [file, version, description, ms] of [
      ['V1__create_accounts.sql', '1', 'create accounts', 14],
      ['V1_1__add_account_email.sql', '1.1', 'add account email', 9],
    ] as const) {
      await c.query('BEGIN');
      await c.query(await readFile(join(FIXTURE, file), 'utf8'));
      await c.query(INSERT, [++rank, version, description, 'SQL', file, await fileChecksum(file), user, ms, true]);
      await c.query('COMMIT');
    }
  });
  afterAll(async () => {
    await c?.end();
    await rm(work, { recursive: true, force: true });
  });

  it('reads Flyway\'s rows by installed_rank', async () => {
    const applied = await tracker().readApplied(c);
    expect(applied).toEqual([
      {
        key: '1',
        version: '1',
        description: 'create accounts',
        checksum: String(await fileChecksum('V1__create_accounts.sql')),
        success: true,
        installedRank: 1,
        installedOn: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/),
        installedBy: user,
        executionTimeMs: 14,
        type: 'SQL',
        script: 'V1__create_accounts.sql',
      },
      expect.objectContaining({ key: '1.1', version: '1.1', installedRank: 2, executionTimeMs: 9, script: 'V1_1__add_account_email.sql' }),
    ]);
    const info = flywayInfo(listing.migrations, applied);
    expect(info.map((e) => [e.key, e.state])).toEqual([
      ['1', 'Success'],
      ['1.1', 'Success'],
      ['2', 'Pending'],
      ['3', 'Pending'],
      ['R__account summary view', 'Pending'],
    ]);
    expect(flywayValidate(info, { pendingIgnored: true })).toEqual([]);
  });

  it('applies the rest with the rows Flyway writes', async () => {
    const t = tracker();
    await t.ensureTable(c); // exists: nothing happens
    const pending = flywayPending(flywayInfo(listing.migrations, await t.readApplied(c)));
    expect(pending.map((m) => m.key)).toEqual(['2', '3', 'R__account summary view']);
    for (const m of pending) {
      const timing = await t.applyUp(c, m);
      const [row] = await query<Row>(url, 'select * from flyway_schema_history order by installed_rank desc limit 1');
      expect(row!.execution_time).toBe(Number(timing.durationNs / 1_000_000n));
    }
    const rows = await history(url);
    expect(rows.map((r) => [r.installed_rank, r.version, r.description, r.type, r.script, r.checksum, r.installed_by, r.success])).toEqual([
      [1, '1', 'create accounts', 'SQL', 'V1__create_accounts.sql', await fileChecksum('V1__create_accounts.sql'), user, true],
      [2, '1.1', 'add account email', 'SQL', 'V1_1__add_account_email.sql', await fileChecksum('V1_1__add_account_email.sql'), user, true],
      [3, '2', 'create orders', 'SQL', 'V2__create_orders.sql', await fileChecksum('V2__create_orders.sql'), user, true],
      [4, '3', 'index orders by account', 'SQL', 'sub/V3__index_orders_by_account.sql', await fileChecksum('sub/V3__index_orders_by_account.sql'), user, true],
      [5, null, 'account summary view', 'SQL', 'R__account_summary_view.sql', await fileChecksum('R__account_summary_view.sql'), user, true],
    ]);
    for (const r of rows) {
      expect(Number.isInteger(r.execution_time) && r.execution_time >= 0).toBe(true);
      expect(r.installed_on).toBeInstanceOf(Date);
    }
    // V3 (CREATE INDEX CONCURRENTLY) ran outside a transaction, as Flyway runs it.
    expect(await query(url, "select indisvalid from pg_index where indexrelid = 'orders_account_id_idx'::regclass")).toEqual([{ indisvalid: true }]);
    expect(await query(url, "select to_regclass('account_summary') is not null as v")).toEqual([{ v: true }]);
    const info = flywayInfo(listing.migrations, await t.readApplied(c));
    expect(info.every((e) => e.state === 'Success')).toBe(true);
    expect(flywayPending(info)).toEqual([]);
  });

  it('re-runs a repeatable whose file changed, as a new row', async () => {
    await cp(FIXTURE, work, { recursive: true });
    await writeFile(
      join(work, 'R__account_summary_view.sql'),
      'CREATE OR REPLACE VIEW account_summary AS\nSELECT a.id, a.name, a.email, a.created_at, a.email IS NOT NULL AS has_email\nFROM accounts a;\n',
    );
    const changed = await readFlywaySource(work);
    current = changed;
    const t = tracker();
    let info = flywayInfo(changed.migrations, await t.readApplied(c));
    expect(info.filter((e) => e.version === null).map((e) => [e.installedRank ?? null, e.state])).toEqual([
      [5, 'Outdated'],
      [null, 'Pending'],
    ]);
    const due = flywayDueRepeatables(info);
    expect(due.map((m) => m.key)).toEqual(['R__account summary view']);
    await t.applyUp(c, due[0]!);
    const [row] = await query<Row>(url, 'select * from flyway_schema_history where installed_rank = 6');
    expect(row).toMatchObject({ version: null, description: 'account summary view', type: 'SQL', script: 'R__account_summary_view.sql', checksum: javaChecksum(await readFile(join(work, 'R__account_summary_view.sql'), 'utf8')), success: true });
    info = flywayInfo(changed.migrations, await t.readApplied(c));
    expect(info.filter((e) => e.version === null).map((e) => [e.installedRank, e.state])).toEqual([
      [5, 'Superseded'],
      [6, 'Success'],
    ]);
    expect(await query(url, "select count(*)::int as n from information_schema.columns where table_name = 'account_summary' and column_name = 'has_email'")).toEqual([{ n: 1 }]);
  });

  it('refuses to undo a version without a U file, before running anything', async () => {
    const v2 = current.migrations.find((m) => m.key === '2')!;
    const err = await tracker()
      .applyDown(c, v2)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LadderError);
    expect((err as LadderError).message).toBe('Flyway has no undo for version 2 (no U file)');
    const repeatable = current.migrations.find((m) => m.version === null)!;
    await expect(tracker().applyDown(c, repeatable)).rejects.toThrow(LadderError);
    expect(await history(url)).toHaveLength(6);
    expect(await query(url, "select to_regclass('orders') is not null as kept")).toEqual([{ kept: true }]);
  });

  it('undoes version 3 with its U file and marks the row the way repair marks deleted migrations', async () => {
    const t = tracker();
    const v3 = current.migrations.find((m) => m.key === '3')!;
    expect(v3.down!.transaction).toBe(false); // DROP INDEX CONCURRENTLY
    await t.applyDown(c, v3);
    expect(await query(url, "select to_regclass('orders_account_id_idx') as i")).toEqual([{ i: null }]);
    const [row] = await query<Row>(url, 'select * from flyway_schema_history where installed_rank = 7');
    expect(row).toMatchObject({
      version: '3',
      description: 'index orders by account',
      type: 'DELETE',
      script: 'sub/V3__index_orders_by_account.sql',
      checksum: await fileChecksum('sub/V3__index_orders_by_account.sql'),
      installed_by: user,
      execution_time: 0,
      success: true,
    });
    const info = flywayInfo(current.migrations, await t.readApplied(c));
    expect(info.filter((e) => e.key === '3').map((e) => [e.installedRank ?? null, e.type, e.state])).toEqual([
      [4, 'SQL', 'Deleted'],
      [null, 'SQL', 'Pending'],
    ]);
    // Undone once: there is nothing left to undo.
    await expect(t.applyDown(c, v3)).rejects.toThrow('Version 3 is not applied, so there is nothing to undo.');
  });

  it('re-applies version 3 as a new row', async () => {
    const t = tracker();
    const pending = flywayPending(flywayInfo(current.migrations, await t.readApplied(c)));
    expect(pending.map((m) => m.key)).toEqual(['3']);
    await t.applyUp(c, pending[0]!);
    const [row] = await query<Row>(url, 'select * from flyway_schema_history where installed_rank = 8');
    expect(row).toMatchObject({ version: '3', type: 'SQL', script: 'sub/V3__index_orders_by_account.sql', success: true });
    expect(await query(url, "select indisvalid from pg_index where indexrelid = 'orders_account_id_idx'::regclass")).toEqual([{ indisvalid: true }]);
  });

  it('record-only: a DELETE row to mark reverted, a skipExecutingMigrations row to mark applied', async () => {
    const t = tracker();
    const v11 = current.migrations.find((m) => m.key === '1.1')!;
    await t.recordReverted(c, v11);
    let info = flywayInfo(current.migrations, await t.readApplied(c));
    expect(info.filter((e) => e.key === '1.1').map((e) => e.state)).toEqual(['Deleted', 'Ignored']);
    await t.recordApplied(c, v11);
    const rows = await history(url);
    expect(rows.slice(-2).map((r) => [r.installed_rank, r.version, r.type, r.script, r.checksum, r.execution_time, r.success])).toEqual([
      [9, '1.1', 'DELETE', 'V1_1__add_account_email.sql', await fileChecksum('V1_1__add_account_email.sql'), 0, true],
      [10, '1.1', 'SQL', 'V1_1__add_account_email.sql', await fileChecksum('V1_1__add_account_email.sql'), 0, true],
    ]);
    info = flywayInfo(current.migrations, await t.readApplied(c));
    expect(info.filter((e) => e.key === '1.1').map((e) => e.state)).toEqual(['Deleted', 'Out of Order']);
    // Nothing ran: the column 1.1 added is still there, exactly once.
    expect(await query(url, "select count(*)::int as n from information_schema.columns where table_name = 'accounts' and column_name = 'email'")).toEqual([{ n: 1 }]);
    expect(rows.map((r) => r.installed_rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('Flyway history table creation, guard, failures', () => {
  it('creates the table with Flyway\'s DDL in an empty schema', async () => {
    const url = await freshDatabase('flyway_create');
    const c = await connect(url);
    try {
      const t = flywayTracker({ schema: 'public', databaseName: 'x' });
      expect(await t.readApplied(c)).toEqual([]);
      await t.ensureTable(c);
      expect(
        await query(
          url,
          "select column_name, data_type, character_maximum_length as len, is_nullable, column_default from information_schema.columns where table_name = 'flyway_schema_history' order by ordinal_position",
        ),
      ).toEqual([
        { column_name: 'installed_rank', data_type: 'integer', len: null, is_nullable: 'NO', column_default: null },
        { column_name: 'version', data_type: 'character varying', len: 50, is_nullable: 'YES', column_default: null },
        { column_name: 'description', data_type: 'character varying', len: 200, is_nullable: 'NO', column_default: null },
        { column_name: 'type', data_type: 'character varying', len: 20, is_nullable: 'NO', column_default: null },
        { column_name: 'script', data_type: 'character varying', len: 1000, is_nullable: 'NO', column_default: null },
        { column_name: 'checksum', data_type: 'integer', len: null, is_nullable: 'YES', column_default: null },
        { column_name: 'installed_by', data_type: 'character varying', len: 100, is_nullable: 'NO', column_default: null },
        { column_name: 'installed_on', data_type: 'timestamp without time zone', len: null, is_nullable: 'NO', column_default: 'now()' },
        { column_name: 'execution_time', data_type: 'integer', len: null, is_nullable: 'NO', column_default: null },
        { column_name: 'success', data_type: 'boolean', len: null, is_nullable: 'NO', column_default: null },
      ]);
      expect(await query(url, "select indexname from pg_indexes where tablename = 'flyway_schema_history' order by indexname")).toEqual([
        { indexname: 'flyway_schema_history_pk' },
        { indexname: 'flyway_schema_history_s_idx' },
      ]);
      // The first row of an empty table gets rank 1; installed_by can be configured.
      const dir = await mkdtemp(join(tmpdir(), 'ladder-flyway-rank-'));
      try {
        await writeFile(join(dir, 'V1__a.sql'), 'CREATE TABLE a (id int);');
        const [m] = (await readFlywaySource(dir)).migrations;
        await flywayTracker({ schema: 'public', databaseName: 'x', installedBy: 'deployer' }).applyUp(c, m!);
        expect(await query(url, 'select installed_rank, installed_by from flyway_schema_history')).toEqual([{ installed_rank: 1, installed_by: 'deployer' }]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    } finally {
      await c.end();
    }
  });

  it('refuses a non-empty schema without a history table, as flyway migrate does', async () => {
    const url = await freshDatabase('flyway_nonempty');
    const c = await connect(url);
    try {
      await c.query('create table legacy (id int)');
      const err = await flywayTracker({ schema: 'public', databaseName: 'x' })
        .ensureTable(c)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(LadderError);
      expect((err as LadderError).message).toBe(
        'Found non-empty schema(s) "public" but no schema history table. Use baseline() or set baselineOnMigrate to true to initialize the schema history table.',
      );
      expect(await query(url, "select to_regclass('flyway_schema_history') as t")).toEqual([{ t: null }]);
    } finally {
      await c.end();
    }
  });

  it('rolls back a failing migration with no row; refuses placeholders before running', async () => {
    const url = await freshDatabase('flyway_fail');
    const c = await connect(url);
    const dir = await mkdtemp(join(tmpdir(), 'ladder-flyway-fail-'));
    try {
      await writeFile(join(dir, 'V1__ok.sql'), 'CREATE TABLE a (id int);');
      await writeFile(join(dir, 'V2__boom.sql'), 'CREATE TABLE b (id int);\nSELECT 1/0;');
      await writeFile(join(dir, 'V3__grant.sql'), 'CREATE TABLE g (id int);\nGRANT SELECT ON g TO ${reader};');
      const listing = await readFlywaySource(dir);
      expect(listing.problems.map((p) => [p.kind, p.key])).toEqual([['unsupported', '3']]);
      const t = flywayTracker({ schema: 'public', databaseName: 'x' });
      await t.ensureTable(c);
      await t.applyUp(c, listing.migrations[0]!);
      await expect(t.applyUp(c, listing.migrations[1]!)).rejects.toMatchObject({ code: '22012' });
      expect(await query(url, "select to_regclass('b') as t")).toEqual([{ t: null }]);
      await expect(t.applyUp(c, listing.migrations[2]!)).rejects.toThrow(LadderError);
      expect(await query(url, "select to_regclass('g') as t")).toEqual([{ t: null }]);
      expect((await history(url)).map((r) => [r.installed_rank, r.version])).toEqual([[1, '1']]);
    } finally {
      await c.end();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('repair helpers: remove failed rows, align an edited checksum', async () => {
    const url = await freshDatabase('flyway_repair');
    const c = await connect(url);
    const dir = await mkdtemp(join(tmpdir(), 'ladder-flyway-repair-'));
    try {
      await writeFile(join(dir, 'V1__a.sql'), 'CREATE TABLE a (id int);');
      const t = flywayTracker({ schema: 'public', databaseName: 'x' });
      await t.ensureTable(c);
      await t.applyUp(c, (await readFlywaySource(dir)).migrations[0]!);
      await c.query(INSERT, [2, '2', 'half', 'SQL', 'V2__half.sql', 5, 'x', 3, false]);
      expect(await t.removeFailedRows(c)).toBe(1);
      await writeFile(join(dir, 'V1__a.sql'), 'CREATE TABLE a (id int); -- edited');
      const [edited] = (await readFlywaySource(dir)).migrations;
      expect(flywayValidate(flywayInfo([edited!], await t.readApplied(c)), { pendingIgnored: true })[0]).toMatch(/^Migration checksum mismatch for migration version 1\n/);
      expect(await t.alignRow(c, edited!)).toBe(true);
      expect(await query(url, 'select installed_rank, checksum from flyway_schema_history')).toEqual([{ installed_rank: 1, checksum: Number(edited!.checksum) }]);
      expect(await t.alignRow(c, edited!)).toBe(false);
    } finally {
      await c.end();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
