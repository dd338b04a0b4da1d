import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { closedGate, freshDatabase, query, trackingRows } from '../helpers/db.js';
import { ladder, migrationsDir, startLadder, waitFor } from '../helpers/cli.js';
import { advisoryLockId } from '../../src/formats/golang-migrate/lock-id.js';

const lockIdFor = (url: string) => advisoryLockId(new URL(url).pathname, 'public', 'schema_migrations');

/** A session holding golang-migrate's lock, as `migrate up` does while it runs. */
async function holdLock(url: string, appName: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: appName });
  await c.connect();
  await c.query('select pg_advisory_lock($1::bigint)', [lockIdFor(url)]);
  return c;
}

const slowRunning = (url: string, marker: string) => async () =>
  (await query(url, `select pid from pg_stat_activity where query like $1 and pid <> pg_backend_pid()`, [`%${marker}%`])).length > 0;

describe('the migration lock is golang-migrate\'s', () => {
  it('Ladder holds the same advisory lock id while it runs', async () => {
    const url = await freshDatabase('lock_same');
    const gate = await closedGate(url); // the step waits here until the lock has been looked at
    const dir = migrationsDir({ '1_slow.up.sql': `${gate.sql} /* lock_same */;` });
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await gate.reached();
    const held = await query(
      url,
      `select a.application_name from pg_locks l join pg_stat_activity a using (pid)
        where l.locktype = 'advisory' and l.granted and l.classid = 0 and l.objid = $1::bigint::oid and l.objsubid = 1`,
      [lockIdFor(url)],
    );
    expect(held).toEqual([{ application_name: 'ladder' }]);
    await gate.open();
    expect((await run.result).code).toBe(0);
    // and lets it go: the lock is free afterwards
    expect(await query(url, 'select pg_try_advisory_lock($1::bigint) ok', [lockIdFor(url)])).toEqual([{ ok: true }]);
  });

  it('waits for another holder and really gives up after -lock-timeout, naming the holder, changing nothing', async () => {
    const url = await freshDatabase('lock_wait');
    const dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);' });
    const holder = await holdLock(url, 'migrate-cli');
    try {
      const r = await ladder(['-path', dir, '-database', url, '-lock-timeout', '1', 'up']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Waiting up to 1s for the migration lock held by "migrate-cli" \(pid \d+/);
      expect(r.stderr).toMatch(/timeout: can't acquire database lock/);
      expect(await query(url, "select to_regclass('public.a') t")).toEqual([{ t: null }]);
    } finally {
      await holder.end();
    }
  });

  it('proceeds as soon as the other holder lets go', async () => {
    const url = await freshDatabase('lock_release');
    const dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);' });
    const holder = await holdLock(url, 'migrate-cli');
    const run = startLadder(['-path', dir, '-database', url, '-lock-timeout', '30', 'up']);
    await waitFor(() => run.stderr().includes('Waiting up to 30s'));
    await holder.end();
    const r = await run.result;
    expect(r.code).toBe(0);
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: false }]);
  });
});

describe('ctrl-c', () => {
  const files = {
    '2_two.up.sql': 'create table two (id int);',
  };

  it('the first stops after the running migration, leaving a clean state', async () => {
    const url = await freshDatabase('sig_stop');
    const gate = await closedGate(url); // the step is still running when ctrl-c arrives, however slow the machine
    const dir = migrationsDir({ ...files, '1_slow.up.sql': `${gate.sql} /* ctrlc_one */;\ncreate table one (id int);` });
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await gate.reached();
    run.child.kill('SIGINT');
    await waitFor(() => run.stderr().includes('Stopping after this running migration'));
    await gate.open();
    const r = await run.result;
    expect(r.stderr).toContain('Stopping after this running migration');
    expect(r.stdout).toMatch(/^1\/u slow \(/);
    expect(r.stdout).not.toContain('2/u');
    expect(r.code).toBe(1);
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: false }]);
    expect(await query(url, "select to_regclass('public.two') t")).toEqual([{ t: null }]);
  });

  it('the second cancels the running statement with pg_cancel_backend and reports the dirty state', async () => {
    const url = await freshDatabase('sig_cancel');
    const dir = migrationsDir({ ...files, '1_slow.up.sql': 'select pg_sleep(20) /* ctrlc_two */;' });
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await waitFor(slowRunning(url, 'ctrlc_two */'));
    run.child.kill('SIGINT');
    await waitFor(() => run.stderr().includes('Stopping after'));
    run.child.kill('SIGINT');
    const r = await run.result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('canceling statement due to user request');
    expect(r.stderr).toContain('The running statement was cancelled on request');
    expect(r.stderr).toContain('dirty at version 1');
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: true }]);
  });
});
