import { describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedGate, freshDatabase, query } from '../helpers/db.js';
import { startLadder } from '../helpers/cli.js';
import { advisoryHolders, copyFixture, FIXTURES, ladderOn, publicTables, states, statusJson, stepLines, tableDefinition } from '../helpers/formats.js';
import {
  expectedRow,
  FLYWAY_DDL,
  flywayFileChecksum,
  flywayHistory,
  flywayLockKey,
  flywayMigrate,
  flywayResolve,
  type FlywayRowCore,
  type FlywayStoredRow,
} from '../helpers/flyway-protocol.js';

/**
 * Flyway projects through Ladder's CLI, against Flyway 13's protocol (test/helpers/flyway-protocol.ts,
 * transcribed from docs/formats-spec.md §3): every history row Ladder writes must be the row Flyway
 * writes, checksum included.
 */

const SCRIPTS = {
  v1: 'V1__create_accounts.sql',
  v11: 'V1_1__add_account_email.sql',
  v2: 'V2__create_orders.sql',
  v3: 'sub/V3__index_orders_by_account.sql',
  r: 'R__account_summary_view.sql',
};

/** What Flyway's migrate would insert for these scripts of `dir`, in this order. */
function expected(dir: string, scripts: string[]): FlywayRowCore[] {
  const all = new Map(flywayResolve(dir).map((s) => [s.script, s]));
  return scripts.map((s) => expectedRow(all.get(s)!));
}

let user: string | undefined;
async function currentUser(url: string): Promise<string> {
  user ??= (await query<{ u: string }>(url, 'select current_user u'))[0]!.u;
  return user;
}

/** The columns that come from the migration; ranks in order from 1; the rest checked for type. */
async function core(url: string, rows: FlywayStoredRow[]): Promise<FlywayRowCore[]> {
  const by = await currentUser(url);
  rows.forEach((r, i) => {
    expect(r.installed_rank).toBe(i + 1);
    expect(r.installed_by).toBe(by);
    expect(r.installed_on).toBeInstanceOf(Date);
    expect(Number.isInteger(r.execution_time) && r.execution_time >= 0).toBe(true);
  });
  return rows.map(({ version, description, type, script, checksum, success }) => ({ version, description, type, script, checksum, success }));
}

function partOf(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-flyway-part-'));
  for (const f of files) cpSync(join(FIXTURES.flyway, f), join(dir, f), { recursive: true });
  return dir;
}

describe('Flyway: a database migrated halfway by Flyway is read and continued by Ladder', () => {
  it("the protocol helper's checksum reproduces the spec's vectors (cross-checked there with Java 17)", () => {
    const C = 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n';
    for (const text of [C, C.replaceAll('\n', '\r\n'), `\uFEFF${C}`, C.slice(0, -1), `\n\n${C}\n`, C.replaceAll('\n', '\r')])
      expect(flywayFileChecksum(Buffer.from(text, 'utf8'))).toBe(169406234);
    expect(flywayFileChecksum(Buffer.alloc(0))).toBe(0);
  });

  it('Flyway applies 1 and 1.1, Ladder the rest: every row is the one Flyway writes, and Flyway validates them', async () => {
    const url = await freshDatabase('ffly_half');
    const dir = copyFixture('flyway');
    const run = ladderOn(dir, url);
    expect(await flywayMigrate(url, partOf([SCRIPTS.v1, SCRIPTS.v11]))).toEqual([SCRIPTS.v1, SCRIPTS.v11]);
    const before = await flywayHistory(url);

    const s = await statusJson(run);
    expect(s.format).toBe('flyway');
    expect(s.table).toBe('"public"."flyway_schema_history"');
    expect(s.version).toBe('1.1');
    expect(states(s)).toEqual({ '1': 'applied', '1.1': 'applied', '2': 'pending', '3': 'pending', 'R__account summary view': 'pending' });
    expect(s.migrations.map((m) => [m.version ?? m.key, m.name, m.down, m.label])).toEqual([
      ['1', 'create accounts', false, 'Success'],
      ['1.1', 'add account email', false, 'Success'],
      ['2', 'create orders', false, 'Pending'],
      ['3', 'index orders by account', true, 'Pending'],
      ['R__account summary view', 'account summary view', false, 'Pending'],
    ]);

    const up = await run(['up']);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(stepLines(up.stdout).map((l) => l.split('/u ')[1])).toEqual(['create orders', 'index orders by account', 'account summary view']);

    const rows = await flywayHistory(url);
    expect(await core(url, rows)).toEqual(expected(dir, [SCRIPTS.v1, SCRIPTS.v11, SCRIPTS.v2, SCRIPTS.v3, SCRIPTS.r]));
    expect(rows.slice(0, 2)).toEqual(before);
    expect(rows[3]!.script).toBe('sub/V3__index_orders_by_account.sql'); // relative to the location, "/" separated
    expect(rows[4]!.version).toBeNull(); // repeatable
    expect(await query(url, "select to_regclass('orders_account_id_idx') is not null idx, to_regclass('account_summary') is not null v")).toEqual([{ idx: true, v: true }]);

    // flyway migrate: validation passes (same checksums, descriptions, types), nothing pending
    expect(await flywayMigrate(url, dir)).toEqual([]);
    expect(await run(['up'])).toEqual({ code: 0, stdout: 'no change\n', stderr: '' });
  });

  it('Ladder creates the history table and applies two, Flyway continues from its rows', async () => {
    const url = await freshDatabase('ffly_ladder_first');
    const reference = await freshDatabase('ffly_reference');
    const dir = copyFixture('flyway');
    const run = ladderOn(dir, url);
    const up = await run(['up', '2']);
    expect(up.code).toBe(0);
    expect(stepLines(up.stdout)).toEqual(['1/u create accounts', '1.1/u add account email']);
    expect(await publicTables(url)).toEqual(['accounts', 'flyway_schema_history', 'ladder_journal']);

    for (const s of FLYWAY_DDL) await query(reference, s);
    expect(await tableDefinition(url, 'public', 'flyway_schema_history')).toEqual(await tableDefinition(reference, 'public', 'flyway_schema_history'));
    expect(await core(url, await flywayHistory(url))).toEqual(expected(dir, [SCRIPTS.v1, SCRIPTS.v11]));

    // V3 is CREATE INDEX CONCURRENTLY: Flyway's default transactional lock hangs on it (its issue #3508),
    // so this project runs Flyway with postgresql.transactional.lock=false
    expect(await flywayMigrate(url, dir, { transactionalLock: false })).toEqual([SCRIPTS.v2, SCRIPTS.v3, SCRIPTS.r]);
    expect(await core(url, await flywayHistory(url))).toEqual(expected(dir, [SCRIPTS.v1, SCRIPTS.v11, SCRIPTS.v2, SCRIPTS.v3, SCRIPTS.r]));
    const s = await statusJson(run);
    expect(s.version).toBe('3');
    expect(Object.values(states(s))).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
  });
});

describe('Flyway: apply, undo and re-read', () => {
  it('down runs the U file and writes a DELETE row; the version is then pending, and up re-applies it', async () => {
    const url = await freshDatabase('ffly_undo');
    const dir = copyFixture('flyway');
    const run = ladderOn(dir, url);
    expect((await run(['up'])).code).toBe(0);
    const applied = await flywayHistory(url);

    let r = await run(['down', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout)).toEqual(['3/d index orders by account']);
    expect(await query(url, "select to_regclass('orders_account_id_idx') t")).toEqual([{ t: null }]);
    let rows = await flywayHistory(url);
    expect(rows.slice(0, 5)).toEqual(applied); // history is appended to, never rewritten
    const v3 = applied[3]!;
    // what flyway repair writes for a removed migration: a DELETE row copying it
    expect((await core(url, rows)).slice(5)).toEqual([{ version: '3', description: v3.description, type: 'DELETE', script: v3.script, checksum: v3.checksum, success: true }]);
    expect(rows[5]!.execution_time).toBe(0);

    let s = await statusJson(run);
    expect(s.version).toBe('2');
    expect(states(s)['3']).toBe('pending');
    expect(Object.entries(states(s)).filter(([, st]) => st !== 'applied')).toEqual([['3', 'pending']]);

    // no U file for 2: refused before anything runs
    r = await run(['down', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error: Flyway cannot undo version 2: there is no U2__ file for it.\n');
    expect(r.stderr).toContain('Nothing was run.');
    r = await run(['goto', '1.1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Flyway cannot undo version 2');
    expect(await flywayHistory(url)).toEqual(rows);

    // Flyway reads the DELETE row as "not applied" and would migrate 3 again; so does Ladder
    r = await run(['up']);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout)).toEqual(['3/u index orders by account']);
    rows = await flywayHistory(url);
    expect((await core(url, rows)).slice(6)).toEqual(expected(dir, [SCRIPTS.v3]));
    expect(await flywayMigrate(url, dir)).toEqual([]);
    s = await statusJson(run);
    expect(s.version).toBe('3');
    expect(Object.values(states(s)).every((st) => st === 'applied')).toBe(true);

    // goto 2 undoes 3 again
    r = await run(['goto', '2']);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout)).toEqual(['3/d index orders by account']);
    expect((await core(url, await flywayHistory(url))).slice(7).map((x) => [x.version, x.type])).toEqual([['3', 'DELETE']]);
  });

  it('an edited repeatable is re-run with a new row; the old one stays', async () => {
    const url = await freshDatabase('ffly_repeatable');
    const dir = copyFixture('flyway');
    const run = ladderOn(dir, url);
    expect((await run(['up'])).code).toBe(0);
    writeFileSync(join(dir, SCRIPTS.r), 'CREATE OR REPLACE VIEW account_summary AS\nSELECT a.id, a.name, a.email, a.created_at, 1 AS v2\nFROM accounts a;\n');
    const s = await statusJson(run);
    expect(states(s)['R__account summary view']).toBe('outdated');
    const r = await run(['up']);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout).map((l) => l.split('/u ')[1])).toEqual(['account summary view']);
    const rows = await core(url, await flywayHistory(url));
    expect(rows.slice(5)).toEqual(expected(dir, [SCRIPTS.r]));
    expect(rows[4]!.checksum).not.toBe(rows[5]!.checksum);
    expect(await flywayMigrate(url, dir)).toEqual([]);
  });
});

describe('Flyway: refusals say so before anything runs', () => {
  it('a failed row: up refuses with Flyway\'s validate message, repair deletes it, up applies from there', async () => {
    const url = await freshDatabase('ffly_failed');
    const dir = copyFixture('flyway');
    const run = ladderOn(dir, url);
    await flywayMigrate(url, partOf([SCRIPTS.v1, SCRIPTS.v11]));
    // as Flyway leaves a failed non-transactional migration (transactional.lock=false, spec §3.7)
    const v2 = expected(dir, [SCRIPTS.v2])[0]!;
    await query(
      url,
      'INSERT INTO "public"."flyway_schema_history" ("installed_rank", "version", "description", "type", "script", "checksum", "installed_by", "execution_time", "success") VALUES (3, $1, $2, $3, $4, $5, current_user, 12, FALSE)',
      [v2.version, v2.description, v2.type, v2.script, v2.checksum],
    );
    const before = await flywayHistory(url);

    const up = await run(['up']);
    expect(up.code).toBe(1);
    expect(up.stdout).toBe('');
    expect(up.stderr).toContain('error: Validate failed: Migrations have failed validation\nDetected failed migration to version 2 (create orders).\n');
    expect(await flywayHistory(url)).toEqual(before);
    await expect(flywayMigrate(url, dir)).rejects.toThrow('Detected failed migration to version 2 (create orders).');

    const s = await statusJson(run);
    expect(s.dirty).toBe(true);
    expect(states(s)['2']).toBe('dirty');
    expect(s.migrations.find((m) => m.version === '2')!.label).toBe('Failed');

    const repair = await run(['repair']);
    expect(repair.stderr).toBe('');
    expect(repair.code).toBe(0);
    expect(await flywayHistory(url)).toEqual(before.slice(0, 2));
    const again = await run(['up']);
    expect(again.code).toBe(0);
    expect(await core(url, await flywayHistory(url))).toEqual(expected(dir, [SCRIPTS.v1, SCRIPTS.v11, SCRIPTS.v2, SCRIPTS.v3, SCRIPTS.r]));
  });

  it('a changed applied file: status shows both checksums, up refuses with Flyway\'s message, repair realigns the row', async () => {
    const url = await freshDatabase('ffly_checksum');
    const dir = copyFixture('flyway');
    const run = ladderOn(dir, url);
    expect((await run(['up', '2'])).code).toBe(0);
    const file = join(dir, SCRIPTS.v1);

    // line endings and blank lines do not change Flyway's checksum
    writeFileSync(file, `\r\n${readFileSync(file, 'utf8').replaceAll('\n', '\r\n')}\r\n\r\n`);
    expect(states(await statusJson(run))['1']).toBe('applied');

    const old = flywayFileChecksum(readFileSync(join(FIXTURES.flyway, SCRIPTS.v1)));
    appendFileSync(file, '-- reviewed\n');
    const now = flywayFileChecksum(readFileSync(file));
    expect(now).not.toBe(old);
    const before = await flywayHistory(url);

    const s = await statusJson(run);
    const v1 = s.migrations.find((m) => m.version === '1')!;
    expect(v1.state).toBe('changed');
    expect(v1.checksum).toEqual({ stored: String(old), local: String(now) });

    const up = await run(['up']);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain(
      `Validate failed: Migrations have failed validation\nMigration checksum mismatch for migration version 1\n-> Applied to database : ${old}\n-> Resolved locally    : ${now}\n`,
    );
    expect(await flywayHistory(url)).toEqual(before);
    expect(await publicTables(url)).toEqual(['accounts', 'flyway_schema_history', 'ladder_journal']);

    const repair = await run(['repair']);
    expect(repair.code).toBe(0);
    const after = await flywayHistory(url);
    expect(after).toEqual([{ ...before[0]!, checksum: now }, before[1]]); // Flyway's UPDATE ... SET checksum
    expect(states(await statusJson(run))['1']).toBe('applied');
    expect((await run(['up'])).code).toBe(0);
    expect(await core(url, await flywayHistory(url))).toEqual(expected(dir, [SCRIPTS.v1, SCRIPTS.v11, SCRIPTS.v2, SCRIPTS.v3, SCRIPTS.r]));
    expect(await flywayMigrate(url, dir)).toEqual([]);
  });

  it('an applied migration whose file is gone: up refuses, repair adds the DELETE row Flyway adds', async () => {
    const url = await freshDatabase('ffly_missing');
    const dir = copyFixture('flyway');
    const run = ladderOn(dir, url);
    expect((await run(['up'])).code).toBe(0);
    rmSync(join(dir, SCRIPTS.v11));
    const before = await flywayHistory(url);
    const up = await run(['up']);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('Detected applied migration not resolved locally: 1.1.');
    expect(await flywayHistory(url)).toEqual(before);
    expect((await run(['repair'])).code).toBe(0);
    const rows = await core(url, await flywayHistory(url));
    expect(rows.slice(5)).toEqual([{ ...rows[1]!, type: 'DELETE' }]);
    expect(await flywayMigrate(url, dir)).toEqual([]);
  });
});

describe('Flyway: the lock', () => {
  it("Ladder holds Flyway's advisory lock, 77431708279161 + hashCode('\"public\".\"flyway_schema_history\"'), while it runs", async () => {
    expect(flywayLockKey()).toBe(77433833903597n); // the spec's vector, through the test's own hashCode
    const url = await freshDatabase('ffly_lock');
    const dir = copyFixture('flyway');
    const gate = await closedGate(url); // V4 waits here until the lock has been looked at
    writeFileSync(join(dir, 'V4__slow.sql'), `${gate.sql} /* ffly_lock_probe */;\n`);
    const ladderRun = startLadder(['-path', dir, '-database', url, 'up']);
    await gate.reached();
    expect(await advisoryHolders(url, flywayLockKey())).toEqual([{ application_name: 'ladder' }]);
    // Flyway's per-migration transactional lock would be refused (and retried) now
    expect(await query(url, 'select pg_try_advisory_xact_lock($1::bigint) ok', [String(flywayLockKey())])).toEqual([{ ok: false }]);
    await gate.open();
    const r = await ladderRun.result;
    expect(r.code).toBe(0);
    expect(await advisoryHolders(url, flywayLockKey())).toEqual([]);
    expect((await flywayHistory(url)).map((x) => x.script)).toEqual([SCRIPTS.v1, SCRIPTS.v11, SCRIPTS.v2, SCRIPTS.v3, 'V4__slow.sql', SCRIPTS.r]);
  });
});
