import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedGate, freshDatabase, query, trackingRows, waitForSleepingBody } from '../helpers/db.js';
import { migrationsDir, startLadder, waitFor } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';

type Json = Record<string, any>;
// In process: these tests are about diagnosis; the kills and signals below use the real binary.
const L = (dir: string, url: string, ...args: string[]) => ladderLocal(['-path', dir, '-database', url, ...args]);
const recoverJson = async (dir: string, url: string): Promise<Json> => {
  const r = await L(dir, url, 'recover', '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};
const balance = async (url: string) => Number((await query<{ s: string }>(url, 'select sum(balance)::text s from accounts'))[0]!.s);
const option = (k: Json, id: string) => k.options.find((o: Json) => o.id === id);
/** Other sessions on the database (a killed client's query keeps running on the server until it ends). */
const othersGone = async (url: string) => (await query(url, 'select 1 from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()')).length === 0;

const BASE = {
  '1_accounts.up.sql': 'create table accounts (id int primary key, balance int not null);\ninsert into accounts values (1, 100), (2, 100);',
  '1_accounts.down.sql': 'drop table accounts;',
};
const DOUBLE = 'alter table accounts add column doubled boolean;\nupdate accounts set balance = balance * 2, doubled = true;\n';

describe('case 1: after a kill, Ladder knows whether the body committed', { timeout: 120_000 }, () => {
  it('a SIGKILLed ladder: the server finishes the file, and its clean marker commits with it (no dirty state, applied once)', async () => {
    const url = await freshDatabase('ev_kill');
    const gate = await closedGate(url); // the body waits at its end until Ladder is dead
    const dir = migrationsDir({ ...BASE, '2_double.up.sql': `${DOUBLE}${gate.sql} /* ev_kill_body */;` });
    expect((await L(dir, url, 'up', '1')).code).toBe(0);
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await gate.reached();
    run.child.kill('SIGKILL');
    await run.result;
    await gate.open();
    await waitFor(() => othersGone(url));
    expect(await trackingRows(url)).toEqual([{ version: '2', dirty: false }]);
    expect(await balance(url)).toBe(400);
    expect(await query(url, "select outcome, done_write from ladder_journal where version = 2")).toEqual([{ outcome: 'ok', done_write: 'with-body' }]);
  });

  it('golang-migrate killed while the server finished the body: verdict "all", mark-done recommended, retry refused without a typed confirmation', async () => {
    const url = await freshDatabase('ev_gm_kill');
    const dir = migrationsDir({ ...BASE, '2_double.up.sql': DOUBLE, '2_double.down.sql': 'alter table accounts drop column doubled;\nupdate accounts set balance = balance / 2;' });
    expect((await L(dir, url, 'up', '1')).code).toBe(0);
    // What golang-migrate leaves when killed after sending the file: (2, dirty), the body committed by the server.
    await query(url, 'update schema_migrations set version = 2, dirty = true');
    await query(url, DOUBLE);
    const c = await recoverJson(dir, url);
    const k = c.candidates.find((x: Json) => x.direction === 'up');
    expect(k).toMatchObject({ version: '2', certain: false, committed: 'all', recommended: 'mark-done' });
    expect(k.statements.map((s: Json) => [s.fate, s.evidence])).toEqual([['kept', 'catalog'], ['kept', 'one-transaction']]);
    expect(k.statements[0].objects).toContainEqual(expect.objectContaining({ kind: 'column', name: 'doubled', existsNow: true, inPlace: true }));
    expect(option(k, 'retry')).toMatchObject({ recommended: false, confirm: { alreadyThere: [expect.stringMatching(/column doubled on accounts already there/), expect.stringMatching(/update accounts set balance .* were committed/)] } });
    expect(option(k, 'mark-done').warning).toBeNull();

    const refused = await L(dir, url, 'recover', '--apply', 'retry', '--step', 'up', '--yes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/could apply work that already committed a second time:\n  - column doubled on accounts already there/);
    expect(refused.stderr).toContain('--confirm-rerun 2');
    expect(await trackingRows(url)).toEqual([{ version: '2', dirty: true }]);
    expect(await balance(url)).toBe(400);

    const done = await L(dir, url, 'recover', '--apply', 'mark-done', '--step', 'up', '--yes');
    expect(done.code, done.stderr).toBe(0);
    expect(await trackingRows(url)).toEqual([{ version: '2', dirty: false }]);
    expect(await balance(url)).toBe(400); // applied exactly once
  });

  it('a data-only file whose commit nobody recorded is "unknown", never rolled back; nothing that re-runs it is recommended', async () => {
    const url = await freshDatabase('ev_data_only');
    const dir = migrationsDir({ ...BASE, '2_bump.up.sql': 'update accounts set balance = balance + 1;' });
    expect((await L(dir, url, 'up', '1')).code).toBe(0);
    await query(url, 'update schema_migrations set version = 2, dirty = true');
    const k = (await recoverJson(dir, url)).candidates.find((x: Json) => x.direction === 'up');
    expect(k).toMatchObject({ committed: 'unknown', recommended: 'leave' });
    expect(k.statements.map((s: Json) => s.fate)).toEqual(['unknown']);
    expect(option(k, 'retry').confirm).not.toBeNull();
    const text = await L(dir, url, 'recover');
    expect(text.stdout).toMatch(/verdict: Ladder cannot tell whether it committed/);
    expect(text.stdout).toMatch(/\? unknown +line 1 +update accounts/);
    expect(text.stdout).not.toMatch(/↺ rolled back/);
  });

  it("pg_terminate_backend mid-body: the journal's 'ok' commits with the body, so its absence proves nothing committed; retry applies it once", async () => {
    const url = await freshDatabase('ev_terminate');
    const dir = migrationsDir({ ...BASE, '2_double.up.sql': `${DOUBLE}select pg_sleep(20) /* ev_term_body */;` });
    expect((await L(dir, url, 'up', '1')).code).toBe(0);
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    const pid = await waitForSleepingBody(url, 'ev_term_body */');
    await query(url, 'select pg_terminate_backend($1)', [pid]);
    expect((await run.result).code).toBe(1);
    const k = (await recoverJson(dir, url)).candidates[0];
    expect(k).toMatchObject({ certain: true, committed: 'none', recommended: 'retry' });
    expect(option(k, 'retry')).toMatchObject({ warning: null, confirm: null });
    // the ADD COLUMN was rolled back: the table exists, the column does not
    expect(k.statements[0].objects).toEqual([
      expect.objectContaining({ kind: 'table', name: 'accounts', action: 'alter', existsNow: true }),
      expect.objectContaining({ kind: 'column', name: 'doubled', existsNow: false, inPlace: false }),
    ]);
    writeFileSync(join(dir, '2_double.up.sql'), DOUBLE);
    const r = await L(dir, url, 'recover', '--apply', 'retry', '--yes');
    expect(r.code, r.stderr).toBe(0);
    expect(await trackingRows(url)).toEqual([{ version: '2', dirty: false }]);
    expect(await balance(url)).toBe(400);
  });
});

describe('case 2: a retry that fails again', { timeout: 120_000 }, () => {
  it('combines both attempts: the first attempt\'s committed transaction is kept, undo is recommended, and the path ends with one row', { timeout: 120_000 }, async () => {
    const url = await freshDatabase('ev_retry_again');
    const up = 'BEGIN;\ncreate table gadgets (id int);\ninsert into gadgets values (1);\nCOMMIT;\nselect nope();\n';
    const dir = migrationsDir({ ...BASE, '2_gadgets.up.sql': up, '2_gadgets.down.sql': 'drop table if exists gadgets;' });
    expect((await L(dir, url, 'up')).code).toBe(1);
    const first = (await recoverJson(dir, url)).candidates[0];
    expect(first).toMatchObject({ committed: 'part', recommended: 'undo' });
    const again = await L(dir, url, 'recover', '--apply', 'retry', '--yes', '--confirm-rerun', '2');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/relation "gadgets" already exists/);
    const k = (await recoverJson(dir, url)).candidates[0];
    expect(k.attempts.map((a: Json) => a.outcome)).toEqual(['failed', 'failed']);
    // the retry failed on CREATE TABLE gadgets, but the first attempt committed it: kept (and the catalog agrees)
    expect(k.statements[1]).toMatchObject({ fate: 'kept', evidence: 'catalog' });
    expect(k.statements[2]).toMatchObject({ fate: 'kept' });
    expect(k).toMatchObject({ committed: 'part', recommended: 'undo' });
    expect(option(k, 'undo').warning).not.toMatch(/Nothing of/);
    expect((await L(dir, url, 'recover', '--apply', 'undo', '--yes')).code).toBe(0);
    writeFileSync(join(dir, '2_gadgets.up.sql'), up.replace('select nope();\n', ''));
    expect((await L(dir, url, 'up')).code).toBe(0);
    expect(await query(url, 'select id from gadgets')).toEqual([{ id: 1 }]);
  });
});

describe('case 3: after a cancel', { timeout: 120_000 }, () => {
  it('no "it will fail the same way" warning: the file did not fail, it was stopped', { timeout: 120_000 }, async () => {
    const url = await freshDatabase('ev_cancel');
    const dir = migrationsDir({ ...BASE, '2_slow.up.sql': 'select pg_sleep(20) /* ev_cancel */;' });
    expect((await L(dir, url, 'up', '1')).code).toBe(0);
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await waitForSleepingBody(url, 'ev_cancel */');
    run.child.kill('SIGINT');
    await waitFor(() => run.stderr().includes('Stopping after'));
    run.child.kill('SIGINT');
    const r = await run.result;
    expect(r.stderr).toMatch(/stopped, not refused by PostgreSQL/);
    const k = (await recoverJson(dir, url)).candidates[0];
    expect(k).toMatchObject({ committed: 'none', recommended: 'retry', fileChanged: false });
    expect(option(k, 'retry').warning).toBeNull();
  });
});

describe('case 4: failures without a position are located', { timeout: 120_000 }, () => {
  it('a dependency error (2BP01) in a down file: file:line of the DROP, the whole DETAIL, only the SQL shortened', async () => {
    const url = await freshDatabase('ev_2bp01');
    const views = Array.from({ length: 40 }, (_, i) => `create view depends_on_a_${i} as select * from a;`).join('\n');
    const padding = Array.from({ length: 60 }, (_, i) => `-- note ${i}: this down file is long, so the message must shorten its SQL and nothing else`).join('\n');
    const down = `${padding}\nDROP TRIGGER IF EXISTS t ON gone;\nDROP TABLE a;\n`;
    const dir = migrationsDir({ '1_a.up.sql': `create table a (id int);\n${views}`, '1_a.down.sql': down });
    expect((await L(dir, url, 'up')).code).toBe(0);
    const r = await L(dir, url, 'down', '1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Failed: 1/d a at ${join(dir, '1_a.down.sql')}:62`);
    for (let i = 0; i < 40; i++) expect(r.stderr).toContain(`view depends_on_a_${i} depends on table a`);
    expect(r.stderr).toMatch(/cannot drop table a because other objects depend on it/);
    expect(r.stderr).toMatch(/PostgreSQL hint: Use DROP \.\.\. CASCADE/);
    expect(r.stderr).toMatch(/\[\.\.\. lines 1-\d+ not shown \.\.\.\]/);
    expect(r.stderr).toMatch(/the SQL is shortened to lines \d+-63 of 63, around line 62; the message, DETAIL and HINT are whole/);
    expect(r.stderr).toContain('DROP TABLE a;');
    const k = (await recoverJson(dir, url)).candidates[0];
    expect(k.error).toMatchObject({ line: 62, sqlstate: '2BP01' });
    expect(k.statements.map((s: Json) => s.fate)).toEqual(['rolled-back', 'failed']);
    expect(k).toMatchObject({ committed: 'none', recommended: 'retry' });
  });
});

describe('case 5: never-run migrations', { timeout: 120_000 }, () => {
  it('a version merged late below the current one is "never run" in status and status --json', async () => {
    const url = await freshDatabase('ev_never_run');
    const dir = migrationsDir({ ...BASE, '3_c.up.sql': 'create table c (id int);' });
    expect((await L(dir, url, 'up')).code).toBe(0);
    writeFileSync(join(dir, '2_b.up.sql'), 'create table b (id int);');
    const j = JSON.parse((await L(dir, url, 'status', '--json')).stdout);
    expect(j.migrations.map((m: Json) => [m.version, m.state])).toEqual([['1', 'applied'], ['2', 'never-run'], ['3', 'applied']]);
    expect(j.migrations[1].problems).toContainEqual(expect.stringMatching(/never run: .*golang-migrate counts it as applied and will skip it/));
    expect(j.journalReachesBack).toBe('-1');
    const t = await L(dir, url, 'status');
    expect(t.stdout).toMatch(/○! +2 +never-run +b/);
  });

  it('where the journal does not reach back, status says it cannot tell', async () => {
    const url = await freshDatabase('ev_never_run_unknown');
    const dir = migrationsDir({ ...BASE, '2_b.up.sql': 'create table b (id int);', '3_c.up.sql': 'create table c (id int);' });
    expect((await L(dir, url, '-no-journal', 'up', '2')).code).toBe(0);
    expect((await L(dir, url, 'up')).code).toBe(0);
    const t = await L(dir, url, 'status');
    expect(t.stdout).toMatch(/journal reaches back to version 2: for versions up to 2 \(2 of them\) it cannot tell whether each really ran/);
    expect(t.stdout).not.toMatch(/never-run/);
  });
});

describe('case 6: dirty at -1', { timeout: 120_000 }, () => {
  it('is reported as what it is in status, status --json, version and recover', async () => {
    const url = await freshDatabase('ev_dirty_nil');
    const dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);', '1_a.down.sql': 'drop table nope;' });
    expect((await L(dir, url, 'up')).code).toBe(0);
    expect((await L(dir, url, 'down', '1')).code).toBe(1);
    expect(await trackingRows(url)).toEqual([{ version: '-1', dirty: true }]);
    const t = await L(dir, url, 'status');
    expect(t.stdout).toMatch(/version +-1 \(dirty: no version recorded; the down of the first migration failed part-way\)/);
    expect(t.stdout).not.toMatch(/nothing applied yet/);
    const j = JSON.parse((await L(dir, url, 'status', '--json')).stdout);
    expect(j).toMatchObject({ version: '-1', dirty: true });
    expect(j.migrations[0].state).toBe('dirty');
    const v = await L(dir, url, 'version');
    expect(v.stderr).toMatch(/dirty at version -1/);
    const k = (await recoverJson(dir, url)).candidates;
    expect(k.map((x: Json) => [x.direction, x.version])).toEqual([['down', '1']]);
  });
});

describe('case 7: npm run faults', () => {
  it('random kills of ladder and golang-migrate, and pg_terminate_backend: no misdiagnosis, nothing applied twice or lost', async () => {
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const child = spawn(process.execPath, [join(import.meta.dirname, '../../bench/faults.mjs'), '2'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b));
      child.stderr.on('data', (b: Buffer) => (out += b));
      child.on('close', (code: number | null) => resolve({ code, out }));
    });
    expect(r.out, r.out).toMatch(/trials 2, misdiagnosed 0, double-applied 0, lost 0/);
    expect(r.code).toBe(0);
  }, 180_000);
});
