import { describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { freshDatabase, query, trackingRows } from '../helpers/db.js';
import { migrationsDir, startLadder, waitFor, type CliResult } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';

const WAITING = "datname = current_database() and wait_event_type = 'Lock' and query like '%schema_migrations%' and pid <> pg_backend_pid()";

/**
 * Applies 1, then runs `ladder up` while another session holds the tracking table, so step 2's dirty
 * marker (its schema picture in the same statement) waits for it; `cut` ends Ladder's session there,
 * and the lock is let go.
 */
async function lostInTheMarker(label: string, cut: (blocker: pg.Client, url: string) => Promise<void>): Promise<{ url: string; r: CliResult }> {
  const url = await freshDatabase(label);
  const dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);', '2_b.up.sql': 'create table b (id int);', '3_c.up.sql': 'create table c (id int);' });
  expect((await ladderLocal(['-path', dir, '-database', url, 'up', '1'])).code).toBe(0);
  const blocker = new pg.Client({ connectionString: url });
  await blocker.connect();
  try {
    await blocker.query('BEGIN; LOCK TABLE schema_migrations IN SHARE MODE');
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await waitFor(async () => (await query(url, `select pid from pg_stat_activity where ${WAITING}`)).length > 0);
    await cut(blocker, url);
    await blocker.query('COMMIT');
    return { url, r: await run.result };
  } finally {
    await blocker.end();
  }
}

const terminate = async (blocker: pg.Client): Promise<void> => void (await blocker.query(`select pg_terminate_backend(pid) from pg_stat_activity where ${WAITING}`));

// A connection lost before a step's dirty marker committed: Ladder records the failed step on a new
// connection (golang-migrate's (V, dirty) and the journal's row) and says what the database then shows.
describe('a failure recorded on a new connection', { timeout: 60_000 }, () => {
  it('the dirty marker never committed: the new connection writes (V, dirty) and its journal row, and the message matches the table', async () => {
    const { url, r } = await lostInTheMarker('settle_fresh', terminate);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The connection to PostgreSQL was lost during the migration.');
    expect(r.stderr).not.toContain('could not record');
    // What it says is what the table holds: golang-migrate's state after a failed file, and the journal's row.
    expect(r.stderr).toContain('The database is now dirty at version 2.');
    expect(await trackingRows(url)).toEqual([{ version: '2', dirty: true }]);
    expect(await query(url, 'select version::int v, outcome from ladder_journal order by id')).toEqual([
      { v: 1, outcome: 'ok' },
      { v: 2, outcome: 'interrupted' },
    ]);
    expect(await query(url, "select to_regclass('b') b")).toEqual([{ b: null }]);
  });

  it('when no new connection can read the table either, it says the state is not known instead of guessing', async () => {
    let name = '';
    const { url, r } = await lostInTheMarker('settle_unknown', async (blocker, dbUrl) => {
      // No new session may connect (superusers included), then Ladder's own is cut.
      name = new URL(dbUrl).pathname.slice(1);
      await query(inject('adminUrl'), `ALTER DATABASE "${name}" ALLOW_CONNECTIONS false`);
      await terminate(blocker);
    }).finally(() => name && query(inject('adminUrl'), `ALTER DATABASE "${name}" ALLOW_CONNECTIONS true`));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The connection to PostgreSQL was lost during the migration.');
    expect(r.stderr).toMatch(/Ladder could not record the failure \(.+\), and a new connection could not read the tracking table either: where the database stands is not known\./);
    expect(r.stderr).not.toContain('now dirty at');
    // The truth, read once connections are allowed again: nothing of step 2 was written.
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: false }]);
  });
});
