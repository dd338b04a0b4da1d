import { describe, expect, it } from 'vitest';
import { closedGate, freshDatabase, query, trackingRows } from '../helpers/db.js';
import { ladder, migrationsDir, startLadder, waitFor } from '../helpers/cli.js';
import { historyLines } from '../../src/tui/history-lines.js';
import type { JournalEntry } from '../../src/engine/journal.js';

const running = (url: string, marker: string) => async () =>
  (await query<{ pid: number }>(url, `select pid from pg_stat_activity where query like $1 and pid <> pg_backend_pid()`, [`%${marker}%`]))[0]?.pid;

const journal = (url: string) => query<{ version: string; outcome: string; finished: boolean }>(url, 'select version::text, outcome, finished_at is not null finished from ladder_journal order by id');

describe('SIGTERM and SIGHUP are handled like ctrl-c', () => {
  it('a SIGTERM stops after the running step: clean state, journal row settled, the next step not run', async () => {
    const url = await freshDatabase('sig_term');
    const gate = await closedGate(url); // the step is still running when SIGTERM arrives, however slow the machine
    const dir = migrationsDir({ '1_slow.up.sql': `${gate.sql} /* sigterm_one */;\ncreate table one (id int);`, '2_two.up.sql': 'create table two (id int);' });
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await gate.reached();
    run.child.kill('SIGTERM');
    await waitFor(() => run.stderr().includes('Stopping after this running migration (SIGTERM)'));
    await gate.open();
    const r = await run.result;
    expect(r.stderr).toContain('Stopping after this running migration (SIGTERM)');
    expect(r.stderr).toContain('Database is clean at version 1.');
    expect(r.stdout).toMatch(/^1\/u slow \(/);
    expect(r.code).toBe(1);
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: false }]);
    expect(await query(url, "select to_regclass('public.two') t")).toEqual([{ t: null }]);
    expect(await journal(url)).toEqual([{ version: '1', outcome: 'ok', finished: true }]);
  });

  it('a second SIGHUP cancels the running statement (pg_cancel_backend): dirty state reported, journal row cancelled', async () => {
    const url = await freshDatabase('sig_hup');
    const dir = migrationsDir({ '1_slow.up.sql': 'select pg_sleep(30) /* sighup_two */;', '2_two.up.sql': 'create table two (id int);' });
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await waitFor(running(url, 'sighup_two */'));
    run.child.kill('SIGHUP');
    await waitFor(() => run.stderr().includes('Stopping after'));
    run.child.kill('SIGHUP');
    const r = await run.result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Cancelling the running statement (pg_cancel_backend)');
    expect(r.stderr).toContain('The running statement was cancelled on request');
    expect(r.stderr).toContain('dirty at version 1');
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: true }]);
    expect(await journal(url)).toEqual([{ version: '1', outcome: 'cancelled', finished: true }]);
  });
});

describe('the journal never shows a dead step as running', () => {
  it("history shows a 'running' row whose session is gone as interrupted (no live session), without changing it", async () => {
    const url = await freshDatabase('dead_step');
    const dir = migrationsDir({ '1_slow.up.sql': 'select pg_sleep(30) /* dead_step */;' });
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    const pid = await waitFor(running(url, 'dead_step */'));
    run.child.kill('SIGKILL'); // Ladder is gone; its backend keeps the statement and the lock
    await run.result;
    const live = await ladder(['-path', dir, '-database', url, 'history']);
    expect(live.code).toBe(0);
    expect(live.stdout).toMatch(/^#1 \S+ \S+ running\s+up 1 slow by /);

    await query(url, 'select pg_terminate_backend($1)', [pid]);
    await waitFor(async () => !(await running(url, 'dead_step */')()));
    const dead = await ladder(['-path', dir, '-database', url, 'history']);
    expect(dead.code).toBe(0);
    expect(dead.stdout).toMatch(/^#1 \S+ \S+ interrupted \(no live session\) up 1 slow by /);
    const json = await ladder(['-path', dir, '-database', url, 'history', '--json']);
    expect(JSON.parse(json.stdout).entries[0]).toMatchObject({ outcome: 'running', liveSession: false });
    // history only reads: the row is settled by the next command that takes the lock
    expect(await journal(url)).toEqual([{ version: '1', outcome: 'running', finished: false }]);
  });

  it("the TUI's history lines say the same", () => {
    const entry: JournalEntry = {
      id: 7, version: '3', name: 'users', direction: 'up', targetVersion: '3', startedAt: '2026-12-01 10:00:00+00', finishedAt: null, outcome: 'running',
      error: null, errorLine: null, errorColumn: null, sqlstate: null, file: null, fileSha256: null, dbUser: 'app', applicationName: 'ladder', ladderVersion: '0.1.0', durationMs: null,
    };
    expect(historyLines([{ ...entry, liveSession: false }], 80)[0]!.text).toMatch(/! interrupted \(no live session\) up 3 users/);
    expect(historyLines([{ ...entry, liveSession: true }], 80)[0]!.text).toMatch(/… running\s+up 3 users/);
  });
});
