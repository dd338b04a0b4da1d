import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, query, waitForSleepingBody } from '../helpers/db.js';
import { migrationsDir, startLadder, waitFor } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';
import { advisoryLockId } from '../../src/formats/golang-migrate/lock-id.js';

const state = async (url: string) => (await query<{ v: string; d: boolean }>(url, 'select version::text v, dirty d from schema_migrations')).map((r) => `${r.v}${r.d ? ' dirty' : ''}`)[0] ?? 'none';
const exists = async (url: string, rel: string) => (await query<{ t: string | null }>(url, 'select to_regclass($1)::text t', [rel]))[0]!.t !== null;
const recoverJson = async (dir: string, url: string) => {
  const r = await ladderLocal(['-path', dir, '-database', url, 'recover', '--json']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};
const apply = (dir: string, url: string, way: string, ...more: string[]) => ladderLocal(['-path', dir, '-database', url, 'recover', '--apply', way, '--yes', ...more]);

const BASE = { '1_a.up.sql': 'create table a (id int);', '1_a.down.sql': 'drop table a;' };

describe('recovery from a failed up', () => {
  it('implicit transaction: nothing kept; retry warns until the file changes, then finishes cleanly', async () => {
    const url = await freshDatabase('rec_up_implicit');
    const dir = migrationsDir({ ...BASE, '2_b.up.sql': 'create table b (id int);\ncreate table b2 (x nope_type);', '2_b.down.sql': 'drop table b2; drop table b;' });
    expect((await ladderLocal(['-path', dir, '-database', url, 'up'])).code).toBe(1);
    const c = await recoverJson(dir, url);
    expect(c).toMatchObject({ dirty: true, version: '2', source: 'journal' });
    expect(c.candidates).toHaveLength(1);
    const k = c.candidates[0];
    expect(k).toMatchObject({ direction: 'up', version: '2', certain: true, fileChanged: false, error: { message: 'type "nope_type" does not exist', line: 2 } });
    expect(k.effects.summary).toMatch(/one implicit transaction.*Nothing took effect/);
    expect(k.statements.map((s: { fate: string }) => s.fate)).toEqual(['rolled-back', 'failed']);
    expect(k.statements[0].objects).toEqual([{ kind: 'table', name: 'b', action: 'create', existsNow: false, inPlace: false }]);
    const retry = k.options.find((o: { id: string }) => o.id === 'retry');
    expect(retry.steps).toEqual(['force 1', 'up 2']);
    expect(retry.warning).toMatch(/has not changed since it failed/);
    const markDone = k.options.find((o: { id: string }) => o.id === 'mark-done');
    expect(markDone.warning).toMatch(/record work that was never done as done/);

    writeFileSync(join(dir, '2_b.up.sql'), 'create table b (id int);\ncreate table b2 (x int);');
    const after = await recoverJson(dir, url);
    expect(after.candidates[0].fileChanged).toBe(true);
    expect(after.candidates[0].options.find((o: { id: string }) => o.id === 'retry').warning).toBeNull();
    const r = await apply(dir, url, 'retry');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/force 1\n2\/u b \(/);
    expect(r.stdout).toContain('Recovered: the database is clean at version 2.');
    expect(await state(url)).toBe('2');
    expect(await exists(url, 'b2')).toBe(true);
  });

  it('explicit transactions: the committed part is shown as kept and "undo" removes it', async () => {
    const url = await freshDatabase('rec_up_explicit');
    const dir = migrationsDir({
      ...BASE,
      '2_b.up.sql': 'BEGIN;\ncreate table kept (id int);\nCOMMIT;\nBEGIN;\ncreate table lost (id int);\nselect nope from kept;\nCOMMIT;\n',
      '2_b.down.sql': 'drop table if exists lost;\ndrop table if exists kept;',
    });
    await ladderLocal(['-path', dir, '-database', url, 'up']);
    const k = (await recoverJson(dir, url)).candidates[0];
    expect(k.statements.map((s: { fate: string }) => s.fate)).toEqual(['kept', 'kept', 'kept', 'rolled-back', 'rolled-back', 'failed', 'not-run']);
    expect(k.statements[1].objects[0]).toMatchObject({ name: 'kept', existsNow: true });
    expect(k.statements[4].objects[0]).toMatchObject({ name: 'lost', existsNow: false });
    expect(k.options.find((o: { id: string }) => o.id === 'retry').warning).toMatch(/Part of the file took effect/);
    const r = await apply(dir, url, 'undo');
    expect(r.code).toBe(0);
    expect(await state(url)).toBe('1');
    expect(await exists(url, 'kept')).toBe(false);
    expect(await exists(url, 'a')).toBe(true);
  });

  it('mark as done after finishing the work by hand', async () => {
    const url = await freshDatabase('rec_up_done');
    const dir = migrationsDir({ ...BASE, '2_b.up.sql': 'create table b (id int);\nselect 1/0;', '3_c.up.sql': 'create table c (id int);' });
    await ladderLocal(['-path', dir, '-database', url, 'up']);
    await query(url, 'create table b (id int)'); // the user does the work of 2 by hand
    const r = await apply(dir, url, 'mark-done');
    expect(r.code).toBe(0);
    expect(await state(url)).toBe('2');
    expect((await ladderLocal(['-path', dir, '-database', url, 'up'])).code).toBe(0);
    expect(await state(url)).toBe('3');
    expect(await query(url, "select direction, outcome from ladder_journal order by id")).toEqual([
      { direction: 'up', outcome: 'ok' },
      { direction: 'up', outcome: 'failed' },
      { direction: 'force', outcome: 'ok' },
      { direction: 'up', outcome: 'ok' },
    ]);
  });

  it('CREATE INDEX CONCURRENTLY among other statements cannot run; the guide says to give it its own file', async () => {
    const url = await freshDatabase('rec_cic');
    const dir = migrationsDir({ ...BASE, '2_idx.up.sql': 'create table t (id int);\ncreate index concurrently t_id on t (id);' });
    const up = await ladderLocal(['-path', dir, '-database', url, 'up']);
    expect(up.stderr).toContain('CREATE INDEX CONCURRENTLY cannot run inside a transaction block');
    const k = (await recoverJson(dir, url)).candidates[0];
    expect(k.effects.summary).toMatch(/cannot run inside a transaction block.*migration file of its own/);
    writeFileSync(join(dir, '2_idx.up.sql'), 'create table t (id int);');
    writeFileSync(join(dir, '3_idx.up.sql'), 'create index concurrently t_id on t (id);');
    expect((await apply(dir, url, 'retry')).code).toBe(0);
    expect((await ladderLocal(['-path', dir, '-database', url, 'up'])).code).toBe(0);
    expect(await state(url)).toBe('3');
    expect(await exists(url, 't_id')).toBe(true);
  });
});

describe('recovery from a failed down', () => {
  it('leaves the previous version dirty; the guide names the down and retry re-runs it from the version it started at', async () => {
    const url = await freshDatabase('rec_down');
    const dir = migrationsDir({ ...BASE, '2_b.up.sql': 'create table b (id int);', '2_b.down.sql': 'drop table b;\ndrop table missing_one;' });
    await ladderLocal(['-path', dir, '-database', url, 'up']);
    expect((await ladderLocal(['-path', dir, '-database', url, 'down', '1'])).code).toBe(1);
    expect(await state(url)).toBe('1 dirty');
    const k = (await recoverJson(dir, url)).candidates[0];
    expect(k).toMatchObject({ direction: 'down', version: '2', certain: true });
    expect(k.statements.map((s: { fate: string }) => s.fate)).toEqual(['rolled-back', 'failed']); // found by the quoted identifier
    expect(k.statements[0].objects[0]).toMatchObject({ name: 'b', action: 'drop', existsNow: true });
    expect(k.options.find((o: { id: string }) => o.id === 'retry').steps).toEqual(['force 2', 'down 2']);
    writeFileSync(join(dir, '2_b.down.sql'), 'drop table b;');
    expect((await apply(dir, url, 'retry')).code).toBe(0);
    expect(await state(url)).toBe('1');
    expect(await exists(url, 'b')).toBe(false);
  });
});

describe('cancelled and interrupted steps', () => {
  it('a cancel during pg_sleep: the guide says so, and retry completes once the file is fixed', async () => {
    const url = await freshDatabase('rec_cancel');
    const dir = migrationsDir({ ...BASE, '2_slow.up.sql': 'create table s (id int);\nselect pg_sleep(20) /* rec_cancel */;' });
    await ladderLocal(['-path', dir, '-database', url, 'up', '1']);
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await waitForSleepingBody(url, 'rec_cancel */');
    run.child.kill('SIGINT');
    await waitFor(() => run.stderr().includes('Stopping after'));
    run.child.kill('SIGINT');
    await run.result;
    const c = await recoverJson(dir, url);
    expect(c.explanation).toMatch(/up 2 slow was cancelled: canceling statement due to user request/);
    // a cancel carries no position; the file had no transaction control, so nothing of it was kept
    expect(c.candidates[0].statements.map((s: { fate: string }) => s.fate)).toEqual(['rolled-back', 'rolled-back']);
    expect(c.candidates[0].effects.summary).toMatch(/Nothing took effect/);
    writeFileSync(join(dir, '2_slow.up.sql'), 'create table s (id int);');
    expect((await apply(dir, url, 'retry')).code).toBe(0);
    expect(await state(url)).toBe('2');
  });

  it('pg_terminate_backend mid-step: reported as interrupted, and the advisory lock is not left held', async () => {
    const url = await freshDatabase('rec_kill');
    const dir = migrationsDir({ ...BASE, '2_slow.up.sql': 'select pg_sleep(20) /* rec_kill */;' });
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await query(url, 'select pg_terminate_backend($1)', [await waitForSleepingBody(url, 'rec_kill */')]);
    const r = await run.result;
    expect(r.stderr).toContain('The connection to PostgreSQL was lost');
    expect(await state(url)).toBe('2 dirty');
    const lockId = advisoryLockId(new URL(url).pathname, 'public', 'schema_migrations');
    expect(await query(url, "select count(*)::int n from pg_locks where locktype = 'advisory' and objid = $1::bigint::oid", [lockId])).toEqual([{ n: 0 }]);
    const c = await recoverJson(dir, url);
    expect(c.explanation).toMatch(/up 2 slow was interrupted/);
    writeFileSync(join(dir, '2_slow.up.sql'), 'select 1;');
    const retried = await apply(dir, url, 'retry');
    expect(retried.code, retried.stderr).toBe(0);
    expect(await state(url)).toBe('2');
  });
});

describe('a dirty database made by another tool, with no journal row', () => {
  it('offers both possibilities with catalog evidence, needs --step to choose, and ends clean', async () => {
    const url = await freshDatabase('rec_foreign');
    const dir = migrationsDir({
      ...BASE,
      '2_b.up.sql': 'create table b (id int);',
      '2_b.down.sql': 'drop table b;',
      '3_c.up.sql': 'create table c (id int);',
      '3_c.down.sql': 'drop table c;',
    });
    expect((await ladderLocal(['-path', dir, '-database', url, '-no-journal', 'up', '2'])).code).toBe(0);
    // golang-migrate's up 3 died part-way, then someone ran the statement by hand? No: nothing of c exists.
    await query(url, 'begin; truncate schema_migrations; insert into schema_migrations values (3, true); commit;');
    const c = await recoverJson(dir, url);
    expect(c.source).toBe('inferred');
    expect(c.explanation).toMatch(/no record of how it got there; the only step that leaves this state is up 3/);
    expect(c.candidates.map((k: { direction: string; version: number }) => `${k.direction} ${k.version}`)).toEqual(['up 3']);
    expect(c.candidates[0].statements[0].objects[0]).toMatchObject({ name: 'c', existsNow: false });

    await query(url, 'begin; truncate schema_migrations; insert into schema_migrations values (2, true); commit;');
    const two = await recoverJson(dir, url);
    expect(two.candidates.map((k: { direction: string; version: number }) => `${k.direction} ${k.version}`)).toEqual(['up 2', 'down 3']);
    const ambiguous = await apply(dir, url, 'retry');
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/--step up or --step down/);
    expect(await state(url)).toBe('2 dirty');
    // table b exists and c does not: up 2 completed, so the down of 3 is what failed (it had nothing to drop yet)
    const r = await apply(dir, url, 'mark-done', '--step', 'down');
    expect(r.code).toBe(0);
    expect(await state(url)).toBe('2');
    expect((await ladderLocal(['-path', dir, '-database', url, 'up'])).code).toBe(0);
    expect(await state(url)).toBe('3');
  });

  it('a clean database has nothing to recover', async () => {
    const url = await freshDatabase('rec_clean');
    const dir = migrationsDir(BASE);
    await ladderLocal(['-path', dir, '-database', url, 'up']);
    const r = await ladderLocal(['-path', dir, '-database', url, 'recover']);
    expect(r).toMatchObject({ code: 0, stdout: 'The database is clean at version 1: nothing to recover.\n' });
  });
});
