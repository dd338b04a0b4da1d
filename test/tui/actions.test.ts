import { afterEach, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { KEY, sampleFolder, startHarness, type Harness } from './helpers.js';
import { closedGate, freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});


const tableOf = async (url: string, name: string) =>
  (await query<{ n: string }>(url, `SELECT count(*)::text AS n FROM information_schema.tables WHERE table_schema = 'trakrf' AND table_name = '${name}'`))[0]!.n === '1';

describe('TUI: actions show their plan and run only after confirmation', () => {
  it('u: shows the step and its SQL, runs it on y, streams its notice, and re-reads the state', async () => {
    h = await startHarness({ dir: await sampleFolder(3) });
    await h.waitFor('prereqs');
    h.press('u');
    let f = await h.waitFor('Run this step on');
    expect(f).toContain('up 1 runs: up 1');
    expect(f).toMatch(/1\. up 1 prereqs\s+000001_prereqs\.up\.sql \(45 lines\)/);
    expect(f).toMatch(/4 │ CREATE SCHEMA trakrf;/);
    expect(await h.version()).toBeNull(); // nothing ran yet
    h.press('y');
    f = await h.waitFor(/✓ up 1: 1 step done/);
    expect(f).toMatch(/1\/u prereqs \([\d.]+(ms|µs|s)\)/);
    expect(f).toMatch(/NOTICE: schema trakrf ready \(permute_id\(1\) = \d+\)/);
    expect(f).toMatch(/✓\s+1 prereqs\s+◀/);
    expect(f).toMatch(/version 1 prereqs\s+clean/);
    expect(await h.version()).toEqual({ version: '1', dirty: false });
  });

  it('u then n (or esc): nothing runs', async () => {
    h = await startHarness({ dir: await sampleFolder(3) });
    await h.waitFor('prereqs');
    h.press('u');
    await h.waitFor('[y/N]');
    h.press('n');
    let f = await h.waitFor('Cancelled: nothing was run.');
    expect(f).not.toContain('[y/N]');
    h.press('u');
    await h.waitFor('[y/N]');
    h.press(KEY.esc);
    await h.waitFor((x) => !x.includes('[y/N]'));
    h.press('u');
    await h.waitFor('[y/N]');
    h.press(KEY.enter); // y/N: enter means no
    f = await h.waitFor((x) => !x.includes('[y/N]'));
    expect(await h.version()).toBeNull();
    expect(await tableOf(h.url, 'accounts')).toBe(false);
  });

  it('d: shows the down step with its SQL; declined runs nothing, confirmed rolls back', async () => {
    h = await startHarness({ dir: await sampleFolder(3) });
    await h.waitFor('prereqs');
    h.press('U');
    await h.waitFor('Run these 3 steps');
    h.press('y');
    await h.waitFor(/✓ up: 3 steps done/);
    expect(await h.version()).toEqual({ version: '3', dirty: false });
    h.press('d');
    let f = await h.waitFor('Run this step on');
    expect(f).toContain('down 1 runs: down 3');
    expect(f).toMatch(/1\. down 3 users\s+000003_users\.down\.sql/);
    expect(f).toContain('DROP TABLE IF EXISTS trakrf.users');
    h.press('n');
    await h.waitFor('Cancelled: nothing was run.');
    expect(await h.version()).toEqual({ version: '3', dirty: false });
    h.press('d');
    await h.waitFor('Run this step on');
    h.press('y');
    f = await h.waitFor(/✓ down 1: 1 step done/);
    expect(f).toMatch(/3\/d users \(/);
    expect(await h.version()).toEqual({ version: '2', dirty: false });
    expect(await tableOf(h.url, 'users')).toBe(false);
    expect(await tableOf(h.url, 'accounts')).toBe(true);
  });

  it('U: applies all 12 sample migrations, with their notices', async () => {
    h = await startHarness({ cols: 120, rows: 40 });
    await h.waitFor('sample_data');
    h.press('U');
    let f = await h.waitFor('Run these 12 steps');
    expect(f).toMatch(/up runs: up 1, up 2, up 3, up 4, …, up 11, up 12/);
    h.press('y');
    f = await h.waitFor(/✓ up: 12 steps done/);
    expect(f).toMatch(/12\/u sample_data \(/);
    expect(f).toMatch(/NOTICE: seeded/);
    expect(f).toMatch(/version 12 sample_data\s+clean\s+0 pending/);
    expect(await h.version()).toEqual({ version: '12', dirty: false });
    // L: the whole log, full height, scrollable
    h.press('L');
    f = await h.waitFor('searches · esc closes');
    expect(f).toContain('NOTICE: schema trakrf ready'); // long scrolled out of the small panel
    expect(f).toMatch(/1\/u prereqs \(/);
    h.press('k');
    await h.waitFor(/─ \d+-\d+ of \d+ ─/);
    h.press(KEY.esc);
    await h.waitFor((x) => !x.includes('searches · esc closes'));
  });

  it('t: goto the selected migration, up then down', async () => {
    h = await startHarness({ dir: await sampleFolder(4) });
    await h.waitFor('prereqs');
    h.press('j');
    h.press('j');
    await h.waitFor('000003_users.up.sql');
    h.press('t');
    let f = await h.waitFor('Run these 3 steps');
    expect(f).toContain('goto 3 runs: up 1, up 2, up 3');
    h.press('y');
    await h.waitFor(/✓ goto 3: 3 steps done/);
    expect(await h.version()).toEqual({ version: '3', dirty: false });
    h.press('g');
    await h.waitFor('000001_prereqs.up.sql');
    h.press('t');
    f = await h.waitFor('Run these 2 steps');
    expect(f).toContain('goto 1 runs: down 3, down 2');
    h.press('y');
    f = await h.waitFor(/✓ goto 1: 2 steps done/);
    expect(f).toMatch(/3\/d users[\s\S]*2\/d accounts/);
    expect(await h.version()).toEqual({ version: '1', dirty: false });
  });

  it('f: force takes a typed version (validated, -1 allowed), shows the SQL it writes, runs on y', async () => {
    h = await startHarness({ dir: await sampleFolder(4) });
    await h.waitFor('prereqs');
    h.press('f');
    await h.waitFor('force version: ');
    h.press('x');
    h.press(KEY.enter);
    await h.waitFor('type a version number, or -1 for none');
    h.press(KEY.backspace);
    h.press('3');
    h.press(KEY.enter);
    let f = await h.waitFor('Run this step on');
    expect(f).toContain('force 3 runs: force 3');
    expect(f).toContain('INSERT INTO "public"."schema_migrations" (version, dirty) VALUES (3, false);');
    h.press('y');
    await h.waitFor(/✓ force 3: 1 step done/);
    expect(await h.version()).toEqual({ version: '3', dirty: false });
    expect(await tableOf(h.url, 'users')).toBe(false); // force runs no migration SQL
    h.press('f');
    await h.waitFor('force version: ');
    h.press('-');
    h.press('1');
    h.press(KEY.enter);
    f = await h.waitFor('Run this step on');
    expect(f).toContain('force -1');
    h.press('y');
    await h.waitFor(/✓ force -1: 1 step done/);
    expect(await h.version()).toBeNull();
  });

  it('D: all down asks for the database name, refuses a wrong one, runs on the right one', async () => {
    h = await startHarness({ dir: await sampleFolder(3) });
    await h.waitFor('prereqs');
    h.press('U');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitFor(/✓ up: 3 steps done/);
    await h.waitFor('u/d up/down');
    await h.waitState((s) => s.mode === 'normal'); // the summary is logged before the run lets go of the keys
    h.press('D');
    let f = await h.waitFor('To confirm, type the database name');
    expect(f).toContain('down -all runs: down 3, down 2, down 1');
    for (const c of 'wrong') h.press(c);
    h.press(KEY.enter);
    await h.waitFor('that is not');
    h.press('y'); // y is just a letter here
    expect(await h.version()).toEqual({ version: '3', dirty: false });
    const name = h.project.database;
    for (let i = 0; i < 6; i++) h.press(KEY.backspace);
    await h.waitFor((x) => !x.includes('wrongy'));
    for (const c of name) h.press(c);
    await h.waitFor(`${name}▌`);
    h.press(KEY.enter);
    f = await h.waitFor(/✓ down -all: 3 steps done/);
    expect(f).toMatch(/1\/d prereqs/);
    expect(await h.version()).toBeNull();
  });

  it('re-plans under the lock: when another tool moved the database, nothing runs and the new plan is shown', async () => {
    h = await startHarness({ dir: await sampleFolder(3) });
    await h.waitFor('prereqs');
    h.press('u');
    await h.waitFor('up 1 runs: up 1');
    await query(h.url, 'CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null); INSERT INTO schema_migrations VALUES (2, false)');
    h.press('y');
    const f = await h.waitFor('up 1 runs: up 3');
    expect(f).toContain('The database moved since the last plan');
    expect(f).toMatch(/moved to version 2 since the plan was shown; nothing was run/);
    expect(await h.version()).toEqual({ version: '2', dirty: false });
    h.press('n');
    await h.waitFor('Cancelled');
  });
});

describe('TUI: running', () => {
  it('streams 100,000 notices through the ring buffer and stays responsive', async () => {
    const url = await freshDatabase('tui_flood');
    const gate = await closedGate(url); // after its notices the step waits here, so the list is tried while it runs
    const files: Record<string, string> = {
      '1_flood.up.sql': `DO $$ BEGIN FOR i IN 1..100000 LOOP RAISE NOTICE 'n %', i; END LOOP; RAISE NOTICE 'the end'; END $$; ${gate.sql};`,
      '1_flood.down.sql': 'SELECT 1;',
    };
    for (let v = 2; v <= 40; v++) files[`${v}_m${v}.up.sql`] = `SELECT ${v};`;
    h = await startHarness({ url, dir: migrationsDir(files) });
    await h.waitFor('flood');
    h.press('u');
    await h.waitFor('[y/N]');
    h.press('y');
    let f = await h.waitFor('NOTICE: the end', 20_000);
    expect(f).toMatch(/Log ─+ 10000[2-9] lines/);
    expect(f).toMatch(/NOTICE: n 99999\s*│\n│\d\d:\d\d:\d\d NOTICE: n 100000\s*│\n│\d\d:\d\d:\d\d NOTICE: the end/);
    expect(h.tui.store.getState().log.lines.length).toBeLessThanOrEqual(2000);
    // While the migration still runs (it sleeps now), the list answers keys.
    h.press('j');
    f = await h.waitFor('─ 2/40 ─');
    expect(f).toMatch(/Running: up 1/);
    await gate.open();
    await h.waitFor(/✓ up 1: 1 step done/, 20_000);
  });

  it('x: the cancel menu stops after the running step; the rest does not run', async () => {
    const url = await freshDatabase('tui_stop');
    const gate = await closedGate(url); // the step is still running when the menu's choice is made, however slow the machine
    const dir = migrationsDir({
      '1_slow.up.sql': `DO $$ BEGIN RAISE NOTICE 'slow starts'; END $$; ${gate.sql};`,
      '2_next.up.sql': 'CREATE TABLE next_one (id int);',
    });
    h = await startHarness({ url, dir });
    await h.waitFor('slow');
    h.press('U');
    await h.waitFor('[y/N]');
    h.press('y');
    let f = await h.waitFor(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1\/u slow/);
    expect(f).toContain('x/ctrl-c cancel');
    await h.waitFor('NOTICE: slow starts');
    h.press('x');
    f = await h.waitFor('Cancel the run?');
    expect(f).toContain('Stop after this step; skip the rest');
    expect(f).toContain('Cancel the statement now (leaves it dirty)');
    h.press(KEY.enter); // the first choice: stop after this step
    await h.waitFor('Stop requested');
    await gate.open();
    f = await h.waitFor(/Stopped after 1 of 2 steps; the database is clean and is at version 1/, 15_000);
    expect(f).toMatch(/1\/u slow \(\d+(\.\d+)?m?s\)/); // a duration, whatever the machine's load
    expect(await h.version()).toEqual({ version: '1', dirty: false });
    expect((await query(h.url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'next_one'")).length).toBe(0);
  });

  it('ctrl-c twice cancels the running statement now; the state is shown truthfully and the recovery guide opens', async () => {
    const dir = migrationsDir({
      '1_sleepy.up.sql': "DO $$ BEGIN RAISE NOTICE 'sleeping'; END $$; SELECT pg_sleep(60);",
      '1_sleepy.down.sql': 'SELECT 1;',
    });
    h = await startHarness({ dir });
    await h.waitFor('sleepy');
    h.press('u');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitFor(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] 1\/u sleepy/);
    await h.waitFor('NOTICE: sleeping');
    h.press(KEY.ctrlC);
    await h.waitFor('Cancel the run?');
    h.press(KEY.ctrlC);
    await h.waitFor('Recovery: the database is dirty at version 1', 15_000);
    expect(await h.version()).toEqual({ version: '1', dirty: true });
    // The engine's diagnosis, from Ladder's journal: what failed and the ways out, as "ladder recover" shows them.
    let f = await h.waitFor('What failed: up 1 sleepy');
    expect(f).toContain('canceling statement due to user request');
    expect(f).toContain('DIRTY');
    expect(f).toMatch(/1\. Retry: record no version \(-1\)/);
    expect(f).toMatch(/2\. Mark as done: record version 1 as clean/);
    h.press('2');
    f = await h.waitFor('Run this step on');
    expect(f).toContain('recover 1 (mark-done) runs: force 1');
    h.press('y');
    await h.waitFor(/✓ recover 1 \(mark-done\): 1 step done/);
    expect(await h.version()).toEqual({ version: '1', dirty: false });
  });

  it('waits for a lock held by another tool, says who, and gives up without changing anything', async () => {
    const url = await freshDatabase('tui_lock');
    h = await startHarness({ url, dir: await sampleFolder(2), tui: { lockTimeoutMs: 600, controller: { refreshMs: 50 } } });
    await h.waitFor('prereqs');
    const other = new pg.Client({ connectionString: url, application_name: 'other-tool' });
    await other.connect();
    try {
      await other.query('SELECT pg_advisory_lock($1::bigint)', [h.project.tracking.lockId]);
      await h.waitFor('lock held by "other-tool"');
      h.press('u');
      await h.waitFor('[y/N]');
      h.press('y');
      const f = await h.waitFor("can't acquire the migration lock");
      expect(f).toMatch(/Waiting up to 0\.6s for the migration lock held by "other-tool"/);
      expect(await h.version()).toBeNull();
    } finally {
      await other.end();
    }
    await h.waitFor('lock free');
  });
});

describe('TUI: stays current', () => {
  it('re-reads the database every few seconds, so changes by another tool show up', async () => {
    h = await startHarness({ dir: await sampleFolder(4), tui: { controller: { refreshMs: 50 } } });
    await h.waitFor(/version none/);
    await query(h.url, 'CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null); INSERT INTO schema_migrations VALUES (3, false)');
    const f = await h.waitFor(/version 3 users\s+clean\s+1 pending/);
    expect(f).toMatch(/✓\s+3 users\s+◀/);
  });

  it('watches the folder: new, edited and deleted files appear without a restart', async () => {
    const dir = migrationsDir({ '1_a.up.sql': 'SELECT 1;', '1_a.down.sql': 'SELECT -1;' });
    h = await startHarness({ dir, tui: { controller: { watch: true } } });
    await h.waitFor('SELECT 1;');
    await writeFile(join(dir, '2_b.up.sql'), 'SELECT 2;');
    await h.waitFor(/·!?\s+2 b/);
    await writeFile(join(dir, '1_a.up.sql'), 'SELECT 1 + 1; -- edited');
    await h.waitFor('SELECT 1 + 1; -- edited');
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, '2_b.up.sql'));
    await h.waitFor((x) => !/2 b/.test(x));
  });

  it('q quits, and ctrl-c quits when nothing runs', async () => {
    h = await startHarness({ dir: await sampleFolder(1) });
    await h.waitFor('prereqs');
    h.press('q');
    await h.waitState((s) => s.quitting);
    await h.close();
    h = await startHarness({ dir: await sampleFolder(1) });
    await h.waitFor('prereqs');
    h.press(KEY.ctrlC);
    await h.waitState((s) => s.quitting);
  });
});
