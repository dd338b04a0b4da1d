import { afterEach, describe, expect, it } from 'vitest';
import { KEY, startHarness, type Harness } from './helpers.js';
import { freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});


/** 2 commits its BEGIN/COMMIT block, then fails at line 5; the index after it never runs. */
const FAILING = {
  '1_base.up.sql': 'CREATE TABLE base (id int);',
  '1_base.down.sql': 'DROP TABLE base;',
  '2_users.up.sql': ['BEGIN;', 'CREATE TABLE users (id int PRIMARY KEY);', 'COMMIT;', '', 'INSERT INTO no_such_table VALUES (1);', 'CREATE INDEX users_id_idx ON users (id);', ''].join('\n'),
  '2_users.down.sql': 'DROP INDEX IF EXISTS users_id_idx;\nDROP TABLE IF EXISTS users;\n',
};

const lines = (f: string) => f.split('\n');

describe('TUI: history view', () => {
  it('H shows ok, failed and force steps newest first; opens, closes, scrolls, and fits 80x24', async () => {
    const files: Record<string, string> = { ...FAILING };
    h = await startHarness({ dir: migrationsDir(files), cols: 80, rows: 24 });
    await h.waitFor('base');
    // An empty journal says so on one line.
    h.press('H');
    let f = await h.waitFor('No steps recorded in');
    expect(f).toContain('History: esc or H closes');
    h.press(KEY.esc);
    await h.waitFor(/Migrations ─/);

    // up 1 (ok), then up 2 (fails: the guide opens), leave the guide, force 1.
    h.press('u');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitFor(/✓ up 1: 1 step done/);
    await h.waitState((s) => s.mode === 'normal'); // the summary is logged before the run lets go of the keys
    h.press('u');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitFor('Recovery: the database is dirty at version 2', 15_000);
    await h.waitState((s) => s.recovery.status !== 'loading');
    h.press(KEY.esc);
    await h.waitFor(/Migrations ─/);
    h.press('f');
    await h.waitFor('Recovery: the database is dirty');
    await h.waitState((s) => s.recovery.status !== 'loading');
    await h.waitFor('4. Force another version: type it');
    h.press('4');
    await h.waitFor('force version:');
    h.press('1');
    h.press(KEY.enter);
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitFor(/✓ force 1: 1 step done/);
    expect(await h.version()).toEqual({ version: '1', dirty: false });

    h.press('H');
    f = await h.waitFor((x) => x.includes('force 1') && x.includes('3 steps'));
    const rows = lines(f);
    expect(rows).toHaveLength(23);
    for (const line of rows) expect([...line].length).toBeLessThanOrEqual(80);
    const at = (re: RegExp) => rows.findIndex((l) => re.test(l));
    const force = at(/✓ ok\s+force 1\b/);
    const failed = at(/✗ failed\s+up 2 users/);
    const ok = at(/✓ ok\s+up 1 base/);
    expect(force).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(force); // newest first
    expect(ok).toBeGreaterThan(failed);
    // The failure's error, with where in the file it happened, on the line under it.
    expect(rows[failed + 1]).toMatch(/└ line 5:\d+: relation "no_such_table" does not exist/);
    expect(rows[force]).toMatch(/\d+ ms\s+\w+\/ladder/);
    expect(f).toMatch(/esc\/H close/);
    // h closes it too
    h.press('h');
    await h.waitFor(/Migrations ─/);
    h.press('H');
    await h.waitFor('3 steps');
    h.press(KEY.esc);
    await h.waitFor(/Migrations ─/);
  });

  it('scrolls a long journal with j/k, pgdn/pgup, g/G, and follows a run while open', async () => {
    const files: Record<string, string> = {};
    for (let v = 1; v <= 30; v++) {
      files[`${v}_m${v}.up.sql`] = `SELECT ${v};`;
      files[`${v}_m${v}.down.sql`] = `SELECT -${v};`;
    }
    h = await startHarness({ dir: migrationsDir(files), cols: 80, rows: 24 });
    await h.waitFor('m1');
    h.press('U');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitFor(/✓ up: 30 steps done/, 20_000);
    h.press('H');
    let f = await h.waitFor(/1-\d+\/30 lines · 30 steps/);
    expect(f).toMatch(/✓ ok\s+up 30 m30/);
    expect(f).not.toMatch(/up 1 m1\b/);
    h.press('j');
    f = await h.waitFor(/2-\d+\/30 lines/);
    expect(f).not.toMatch(/up 30 m30/);
    h.press('k');
    await h.waitFor(/1-\d+\/30 lines/);
    h.press('G');
    f = await h.waitFor(/\d+-30\/30 lines/);
    expect(f).toMatch(/up 1 m1\b/);
    h.press('g');
    await h.waitFor(/1-\d+\/30 lines/);
    h.press(KEY.pageDown);
    await h.waitFor((x) => /(\d+)-\d+\/30 lines/.exec(x)?.[1] !== '1');
    h.press(KEY.pageUp);
    await h.waitFor(/1-\d+\/30 lines/);
    h.press(KEY.esc);
    await h.waitFor(/Migrations ─/);
    // Opened during a run, it follows the steps as they are recorded.
    h.press('d');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitState((s) => s.mode === 'normal');
    h.press('H');
    await h.waitFor(/✓ ok\s+down 30 m30/);
    await h.waitFor('31 steps');
  });

  it('says clearly when there is no journal (-no-journal)', async () => {
    h = await startHarness({ dir: migrationsDir(FAILING), tui: { controller: { journal: false } } });
    await h.waitFor('base');
    h.press('u');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitFor(/✓ up 1: 1 step done/);
    h.press('H');
    const f = await h.waitFor('No history: Ladder runs with -no-journal');
    expect(f).toContain('History');
  });
});

describe('TUI: recovery guide details', () => {
  it('shows what each statement did after a failure past a committed BEGIN/COMMIT block, and undo ends clean', async () => {
    const url = await freshDatabase('tui_guide');
    h = await startHarness({ url, dir: migrationsDir(FAILING), cols: 100, rows: 30 });
    await h.waitFor('base');
    h.press('U');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitFor('Recovery: the database is dirty at version 2', 15_000);
    let f = await h.waitFor('What failed: line 5');
    // The explanation quotes the message; the What-failed line adds where.
    expect(f.replace(/\s*│\n│/g, ' ')).toMatch(/up 2 users failed: relation "no_such_table" does not exist/);
    expect(f).toMatch(/What failed: line 5:\d+\s*│/);
    expect(f).toContain('What PostgreSQL kept:');
    // One line per statement: kept, the failed one with its line, never run; and the objects checked now.
    expect(f).toMatch(/✓ line 2\s+CREATE TABLE users \(id int PRIMARY KEY\)\s*│/);
    expect(f).toMatch(/create table (public\.)?users: exists now/);
    expect(f).toMatch(/✗ line 5\s+error at 5:\d+ · INSERT INTO no_such_table VALUES \(1\)/);
    // The summary wraps whole (no …); the breakdown gives way and scrolls to the statement that never ran.
    expect(f).toMatch(/Checked in the catalog\s*│\s*\n│now\./);
    expect(f).toMatch(/1\. Retry/);
    h.press('J');
    h.press('J');
    f = await h.waitFor(/create index (public\.)?users_id_idx: does not exist/);
    expect(f).toMatch(/· line 6\s+CREATE INDEX users_id_idx ON users \(id\)/);
    expect(f).toMatch(/3\. Undo the partial work/);
    expect(lines(f)).toHaveLength(29);
    // Retry over committed work is never a y: the version must be typed, as headless needs --confirm-rerun 2.
    h.press(KEY.enter);
    f = await h.waitFor('Type 2 to run it anyway');
    expect(f).toContain('Already there (it would run again):');
    expect(f).toMatch(/- table users already there \(line 2\)/);
    expect(f).not.toContain('[y/N]');
    h.press('y');
    h.press(KEY.enter);
    await h.waitFor('that is not "2"');
    h.press(KEY.esc);
    await h.waitFor('Cancelled: nothing was run.');
    expect(await h.version()).toEqual({ version: '2', dirty: true });
    h.press('f');
    await h.waitFor(/❯ 1\. Retry/);
    // Undo: runs the down file, then records 1.
    h.press('j');
    await h.waitFor(/❯ 2\. Mark as done/);
    h.press('j');
    await h.waitFor(/❯ 3\. Undo/);
    h.press(KEY.enter);
    f = await h.waitFor('[y/N]');
    expect(f).toContain('recover 2 (undo)');
    h.press('y');
    await h.waitFor(/✓ recover 2 \(undo\)/);
    expect(await h.version()).toEqual({ version: '1', dirty: false });
    expect(await query(url, "SELECT to_regclass('public.users') AS t")).toEqual([{ t: null }]);
  });

  it('fits 80x24: caps the breakdown with "… N more", scrolls it with J/K, and keeps the menu whole', async () => {
    const body = ['BEGIN;'];
    for (let i = 1; i <= 12; i++) body.push(`CREATE TABLE t${i} (id int);`);
    body.push('COMMIT;', 'INSERT INTO no_such_table VALUES (1);', 'CREATE TABLE after_fail (id int);');
    h = await startHarness({
      dir: migrationsDir({ '1_many.up.sql': body.join('\n'), '1_many.down.sql': 'SELECT 1;' }),
      cols: 80,
      rows: 24,
    });
    await h.waitFor('many');
    h.press('u');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitFor('What failed: line 15', 15_000);
    // Opens scrolled to the failed statement.
    let f = await h.waitFor(/✗ line 15\s+error at 15:\d+/);
    expect(f).toMatch(/↑ \d+ above/);
    expect(f).toMatch(/scroll with J\/K/);
    for (const item of ['1. Retry', '2. Mark as done', '3. Undo', '4. Force another version', '5. Leave it']) expect(f).toContain(item);
    expect(lines(f)).toHaveLength(23);
    for (const line of lines(f)) expect([...line].length).toBeLessThanOrEqual(80);
    // K to the top: what PostgreSQL kept, whole, heads the breakdown, then "… N more".
    for (let i = 0; i < 60 && /↑ \d+ above/.test(h.frame()); i++) {
      const before = h.frame();
      h.press('K');
      await h.waitFor((x) => x !== before);
    }
    f = await h.waitFor(/What PostgreSQL kept:/);
    expect(f).toMatch(/… \d+ more \(scroll with J\/K\)/);
    expect(f).not.toMatch(/↑ \d+ above/);
    h.press('J');
    f = await h.waitFor(/↑ 1 above/);
    expect(f).toContain('5. Leave it');
  });

  it('without a journal shows both possibilities, and the breakdown of the highlighted one', async () => {
    const url = await freshDatabase('tui_guide2');
    await query(url, 'CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null); INSERT INTO schema_migrations VALUES (2, true)');
    await query(url, 'CREATE TABLE users (id int PRIMARY KEY)');
    const dir = migrationsDir({ ...FAILING, '3_posts.up.sql': 'CREATE TABLE posts (id int);', '3_posts.down.sql': 'DROP TABLE posts;\nDROP TABLE gone_already;' });
    h = await startHarness({ url, dir, cols: 100, rows: 30 });
    await h.waitFor('Recovery: the database is dirty at version 2', 15_000);
    let f = await h.waitFor('If this failed: down 3 posts');
    expect(f).toMatch(/▸ If this failed: up 2 users/);
    expect(f).toMatch(/if up 2 failed: Retry/);
    expect(f).toMatch(/if down 3 failed: Retry/);
    expect(f).toMatch(/What PostgreSQL kept: 1 in place \(kept\)/); // whole, at the head of the breakdown
    // Below it (J scrolls), each statement: users exists, checked in the catalog.
    for (let i = 0; i < 10 && !/✓ line 2\s+CREATE TABLE users/.test(h.frame()); i++) {
      const before = h.frame();
      h.press('J');
      await h.waitFor((x) => x !== before);
    }
    f = await h.waitFor(/✓ line 2\s+CREATE TABLE users \(id int PRIMARY KEY\)/);
    // Highlight a way out for "down 3": its statements show.
    for (let i = 2; i <= 4; i++) {
      h.press('j');
      await h.waitFor(`❯ ${i}. if`);
    }
    f = await h.waitFor(/▸ If this failed: down 3 posts/);
    for (let i = 0; i < 10 && !/drop table (public\.)?posts: does not exist/.test(h.frame()); i++) {
      const before = h.frame();
      h.press('J');
      await h.waitFor((x) => x !== before);
    }
    f = await h.waitFor(/drop table (public\.)?posts: does not exist/);
    expect(f).not.toMatch(/users: exists now/);
  });
});
