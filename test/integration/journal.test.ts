import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { freshDatabase, query, waitForSleepingBody } from '../helpers/db.js';
import { migrationsDir, startLadder, waitFor } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';

const journal = (url: string) =>
  query(url, 'select version::int, name, direction, target_version::int, outcome, error, error_line, error_column, sqlstate, file_sha256, db_user, application_name, finished_at is not null finished from ladder_journal order by id');

describe('ladder_journal records every step', () => {
  it('ok steps, a failure with its line and column, a force; history prints them newest first', async () => {
    const url = await freshDatabase('journal_basic');
    const dir = migrationsDir({
      '1_a.up.sql': 'create table a (id int);',
      '1_a.down.sql': 'drop table a;',
      '2_b.up.sql': 'create table b (id int);\nselect nope from b;',
    });
    await ladderLocal(['-path', dir, '-database', url, 'up']);
    await ladderLocal(['-path', dir, '-database', url, 'force', '1']);
    const rows = await journal(url);
    const sha = createHash('sha256').update(readFileSync(join(dir, '1_a.up.sql'), 'utf8')).digest('hex');
    expect(rows).toEqual([
      { version: 1, name: 'a', direction: 'up', target_version: 1, outcome: 'ok', error: null, error_line: null, error_column: null, sqlstate: null, file_sha256: sha, db_user: 'postgres', application_name: 'ladder', finished: true },
      expect.objectContaining({ version: 2, direction: 'up', outcome: 'failed', error: 'column "nope" does not exist', error_line: 2, error_column: 8, sqlstate: '42703', finished: true }),
      expect.objectContaining({ version: 1, direction: 'force', outcome: 'ok' }),
    ]);
    // the tracking table keeps golang-migrate's format: the journal never changes it
    expect(await query(url, "select column_name from information_schema.columns where table_name = 'schema_migrations' order by ordinal_position")).toEqual([
      { column_name: 'version' },
      { column_name: 'dirty' },
    ]);
    const h = await ladderLocal(['-path', dir, '-database', url, 'history']);
    expect(h.code).toBe(0);
    const lines = h.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^#3 .* ok\s+force 1/);
    expect(lines[1]).toMatch(/^#2 .* failed\s+up 2 b \(\d+ ms\) by postgres\/ladder: column "nope" does not exist at line 2:8$/);
    expect(lines[2]).toMatch(/^#1 .* ok\s+up 1 a/);
    const json = JSON.parse((await ladderLocal(['-path', dir, '-database', url, 'history', '--json'])).stdout);
    expect(json.entries.map((e: { outcome: string }) => e.outcome)).toEqual(['ok', 'failed', 'ok']);
  });

  it('-no-journal writes nothing of Ladder\'s own', async () => {
    const url = await freshDatabase('journal_off');
    const dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);' });
    expect((await ladderLocal(['-path', dir, '-database', url, '-no-journal', 'up'])).code).toBe(0);
    expect(await query(url, "select to_regclass('public.ladder_journal') t")).toEqual([{ t: null }]);
  });

  it('a cancelled statement is recorded as cancelled, a killed connection as interrupted', async () => {
    const url = await freshDatabase('journal_cancel');
    const dir = migrationsDir({ '1_slow.up.sql': 'select pg_sleep(20) /* jcancel */;' });
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await waitFor(async () => (await query(url, "select 1 from pg_stat_activity where query like '%jcancel */%' and wait_event = 'PgSleep' and pid <> pg_backend_pid()")).length > 0);
    run.child.kill('SIGINT');
    await waitFor(() => run.stderr().includes('Stopping after'));
    run.child.kill('SIGINT');
    await run.result;
    expect(await journal(url)).toEqual([expect.objectContaining({ outcome: 'cancelled', sqlstate: '57014' })]);

    await ladderLocal(['-path', dir, '-database', url, 'force', '-1']);
    const run2 = startLadder(['-path', dir, '-database', url, 'up']);
    await waitFor(async () => (await query(url, "select pg_terminate_backend(pid) from pg_stat_activity where query like '%jcancel */%' and wait_event = 'PgSleep' and pid <> pg_backend_pid()")).length > 0);
    const r2 = await run2.result;
    expect(r2.code).toBe(1);
    const rows = await journal(url);
    expect(rows[2]).toEqual(expect.objectContaining({ outcome: 'interrupted', finished: true }));
    expect(await query(url, 'select version::int, dirty from schema_migrations')).toEqual([{ version: 1, dirty: true }]);
  });

  it('a step left running by a killed Ladder is marked interrupted by the next run that takes the lock', async () => {
    const url = await freshDatabase('journal_killed');
    const dir = migrationsDir({ '1_slow.up.sql': 'select pg_sleep(20) /* jkill */;' });
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    const pid = await waitForSleepingBody(url, 'jkill */');
    run.child.kill('SIGKILL');
    await run.result;
    // the server notices the dead client when pg_sleep ends; terminate it so the lock goes with the session
    await query(url, 'select pg_terminate_backend($1)', [pid]);
    expect(await journal(url)).toEqual([expect.objectContaining({ outcome: 'running', finished: false })]);
    await ladderLocal(['-path', dir, '-database', url, 'force', '-1']);
    expect((await journal(url))[0]).toEqual(expect.objectContaining({ outcome: 'interrupted', finished: true }));
  });
});
