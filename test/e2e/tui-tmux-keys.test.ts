import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, tmuxDriver } from './tmux-driver.js';
import { closedGate, freshDatabase, query } from '../helpers/db.js';

/**
 * Issue 14 in a real pseudo-terminal at 80x24: keys in one read, the typed-name prompt uncut, a late
 * ctrl-c after a step ends, the running step shown dirty, and step mode. One session, one database.
 */
const t = tmuxDriver('keys');
const { waitScreen, keys } = t;
const version = (url: string) => query<{ v: string; dirty: boolean }>(url, 'SELECT version::text AS v, dirty FROM schema_migrations');
/** A layer that came by itself holds consequential keys off for a moment; the footer shows ⏸ meanwhile. */
const notGuarded = (s: string) => !s.includes('⏸');
/** Migration 2 waits on this advisory lock whenever a test holds it (closedGate), so it runs as long as the test needs. */
const GATE = 4242;

describe.skipIf(!hasTmux)(hasTmux ? 'TUI keys and dialogs end to end (tmux 80x24)' : 'TUI keys end to end: SKIPPED because tmux is not installed', () => {
  let url = '';
  let dbName = '';
  beforeAll(async () => {
    url = await freshDatabase('tui_keys_a_rather_long_database_name');
    dbName = new URL(url).pathname.slice(1);
    const dir = await mkdtemp(join(tmpdir(), 'ladder-e2e-keys-'));
    const files: Record<string, string> = {
      '000001_a.up.sql': "CREATE TABLE a (id int);\nDO $$ BEGIN RAISE NOTICE 'made a'; END $$;\n",
      '000001_a.down.sql': 'DROP TABLE a;\n',
      '000002_slow.up.sql': `CREATE TABLE b (id int);\nSELECT pg_advisory_xact_lock(${GATE});\nDO $$ BEGIN RAISE NOTICE 'made b'; END $$;\n`,
      '000002_slow.down.sql': 'DROP TABLE b;\n',
      '000003_c.up.sql': 'CREATE TABLE c (id int);\n',
      '000003_c.down.sql': 'DROP TABLE c;\n',
    };
    for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
    t.start(`-database '${url}' -path '${dir}'`, 80, 24);
  }, 120_000);
  afterAll(() => t.stop());

  it('handles every key of one read: gjj moves two rows', async () => {
    await waitScreen(/·\s+3 c/);
    await waitScreen('000001_a.up.sql');
    t.keysAtOnce('gjj');
    const s = await waitScreen('000003_c.up.sql');
    expect(s).toContain('[up] down 000003_c.up.sql');
  }, 30_000);

  it('step mode: a 3-step goto pauses after step 1 with the database clean there, holding no lock; c finishes it', async () => {
    keys('t');
    let s = await waitScreen('[y/N]');
    expect(s).toContain('goto 3 runs: up 1, up 2, up 3');
    expect(s).toContain('s runs it step by step');
    keys('s');
    s = await waitScreen('1/3 paused');
    expect(s).toContain('✓ step 1 of 3: 1/u a');
    expect(s).toContain('NOTICE: made a');
    expect(await version(url)).toEqual([{ v: '1', dirty: false }]);
    const locks = await query(url, "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())" /* other test files run on the same server */);
    expect(locks).toHaveLength(0);
    s = await waitScreen(notGuarded); // the pause came by itself: its guard must pass before c
    keys('c');
    s = await waitScreen(/version 3 c\s+clean\s+0 pending/);
    expect(await version(url)).toEqual([{ v: '3', dirty: false }]);
  }, 60_000);

  it('the header and the list show the running step as dirty; a late ctrl-c after the step ends does not quit', async () => {
    await t.waitIdle();
    t.keysAtOnce(':goto 1');
    await waitScreen(':goto 1');
    keys('Enter');
    await waitScreen('goto 1 runs: down 3, down 2');
    keys('y');
    await waitScreen(/version 1 a\s+clean\s+2 pending/);
    await t.waitIdle();
    keys('u');
    await waitScreen('up 1 runs: up 2');
    const gate = await closedGate(url, GATE);
    keys('y');
    let s = await waitScreen('DIRTY while 2/u slow runs');
    expect(s).toMatch(/▶\s+2 slow\s+running…/);
    expect(s).toContain('running since');
    expect(await version(url)).toEqual([{ v: '2', dirty: true }]);
    keys('C-c');
    s = await waitScreen('Cancel the run?');
    // The step ends on its own while the menu is up (the test lets it go on now); the second ctrl-c arrives just after.
    await gate.open();
    s = await waitScreen((x) => !x.includes('Cancel the run?'));
    keys('C-c');
    s = await waitScreen('Ignored ctrl-c');
    expect(s).not.toContain('LADDER_EXIT');
    expect(await version(url)).toEqual([{ v: '2', dirty: false }]);
  }, 60_000);

  it('the roll-back-everything prompt shows the whole database name at 80x24', async () => {
    await t.waitIdle();
    keys('D');
    const s = await waitScreen('type the database name');
    expect(dbName.length).toBeGreaterThan(40);
    expect(s).toContain(dbName);
    expect(s).not.toMatch(/database\s+name:[^\n]*…/);
    keys('Escape');
    await waitScreen('Cancelled: nothing was run.');
    keys('q');
    await waitScreen('LADDER_EXIT=0');
  }, 30_000);
});
