import { afterEach, describe, expect, it } from 'vitest';
import { KEY, sampleFolder, startHarness, type Harness } from './helpers.js';
import { freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});


describe('TUI: browsing', () => {
  it('lists the migrations with markers and the current version, and previews numbered SQL', async () => {
    const url = await freshDatabase('tui_list');
    await query(url, 'CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null); INSERT INTO schema_migrations VALUES (2, false)');
    h = await startHarness({ url, cols: 100, rows: 30 });
    const f = await h.waitFor('CREATE SEQUENCE trakrf.accounts_id_seq');
    expect(f).toMatch(/✓\s+1 prereqs/);
    expect(f).toMatch(/✓\s+2 accounts\s+◀/);
    expect(f).toMatch(/·\s+3 users/);
    expect(f).toMatch(/version 2 accounts\s+clean\s+10 pending/);
    expect(f).toContain('postgres://');
    expect(f).not.toMatch(/postgres:\/\/[^:]+:[^x@][^@]*@/); // the password is hidden
    expect(f).toMatch(/\[up\] down 000002_accounts\.up\.sql/);
    expect(f).toMatch(/ 3 │ CREATE SEQUENCE trakrf\.accounts_id_seq AS bigint;/);
    expect(f.split('\n')).toHaveLength(29); // rows - 1
  });

  it('marks dirty, missing-file and problem rows', async () => {
    const dir = migrationsDir({
      '1_a.up.sql': 'SELECT 1;',
      '1_a.down.sql': 'SELECT 1;',
      '3_c.up.sql': 'SELECT 3;',
    });
    const url = await freshDatabase('tui_marks');
    await query(url, 'CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null); INSERT INTO schema_migrations VALUES (2, true)');
    h = await startHarness({ url, dir });
    // A dirty database opens the recovery guide first.
    await h.waitFor('Recovery: the database is dirty at version 2');
    await h.waitState((s) => s.recovery.status !== 'loading');
    let f = await h.waitFor('force 1'); // no file for 2, so no diagnosis of a step: the two forces
    expect(f).toContain('Force another version: type it');
    h.press(KEY.esc);
    f = await h.waitFor(/✗!\s+2 \(file missing\)\s+◀/); // dirty, and its file is gone
    expect(f).toContain('Version 2 is recorded in the database');
    expect(f).toMatch(/✓\s+1 a/);
    expect(f).toMatch(/·!\s+3 c/); // gap before 3 and no down file
    expect(f).toContain('DIRTY');
    expect(f).toMatch(/f fix dirty/);
    await h.close();
    // Applied, but the file is missing (clean): ?
    const url2 = await freshDatabase('tui_marks');
    await query(url2, 'CREATE TABLE schema_migrations (version bigint not null primary key, dirty boolean not null); INSERT INTO schema_migrations VALUES (2, false)');
    h = await startHarness({ url: url2, dir });
    f = await h.waitFor(/\?!\s+2 \(file missing\)\s+◀/);
    expect(f).toMatch(/✓\s+1 a/);
  });

  it('moves with j/k, arrows, g/G and pages through 2,000 migrations, drawing only the visible rows', async () => {
    const files: Record<string, string> = {};
    for (let v = 1; v <= 2000; v++) {
      files[`${v}_step_${v}.up.sql`] = `SELECT ${v};`;
      files[`${v}_step_${v}.down.sql`] = `SELECT -${v};`;
    }
    h = await startHarness({ dir: migrationsDir(files), cols: 80, rows: 24 });
    await h.waitFor('SELECT 1;');
    h.press('j');
    await h.waitFor('SELECT 2;');
    h.press(KEY.down);
    await h.waitFor('SELECT 3;');
    h.press('k');
    await h.waitFor('SELECT 2;');
    h.press('G');
    let f = await h.waitFor('SELECT 2000;');
    expect(f).toContain('2000/2000');
    expect(f.split('\n')).toHaveLength(23);
    expect(f).not.toMatch(/\bstep_1\b/);
    h.press(KEY.pageUp); // a page is the 12 visible rows at 80x24
    f = await h.waitFor('1988/2000');
    expect(f).toContain('SELECT 1988;');
    h.press(KEY.pageDown);
    await h.waitFor('2000/2000');
    h.press('g');
    f = await h.waitFor('SELECT 1;');
    expect(f).toContain('1/2000');
    for (const line of f.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
  });

  it('filters by version or name with /, keeps it with enter and clears it with esc', async () => {
    h = await startHarness();
    await h.waitFor('prereqs');
    h.press('/');
    await h.waitFor('filter /');
    for (const c of 'acc') h.press(c);
    let f = await h.waitFor(/Migrations \/acc ─+ 2\/12 ─/);
    expect(f).toMatch(/2 accounts/);
    expect(f).toMatch(/4 account_users/);
    expect(f).not.toMatch(/3 users/);
    h.press(KEY.enter);
    await h.waitFor((x) => !x.includes('filter /') && /Migrations \/acc ─+ 2\/12/.test(x));
    h.press(KEY.esc);
    f = await h.waitFor(/Migrations ─+ 12 ─/);
    expect(f).toMatch(/3 users/);
    h.press('/');
    await h.waitFor('filter /');
    h.press('1');
    h.press('1');
    f = await h.waitFor(/Migrations \/11 ─+ 1\/12/);
    expect(f).toMatch(/11 messages/);
    h.press(KEY.backspace);
    await h.waitFor(/Migrations \/1 ─+ 4\/12/); // 1, 10, 11, 12
    h.press(KEY.esc);
    await h.waitFor(/Migrations ─+ 12 ─/);
  });

  it('switches the preview between up and down with tab, and scrolls it', async () => {
    h = await startHarness({ rows: 20 });
    await h.waitFor('[up] down 000001_prereqs.up.sql');
    h.press(KEY.tab);
    let f = await h.waitFor('up [down] 000001_prereqs.down.sql');
    expect(f).toContain('DROP SCHEMA IF EXISTS trakrf CASCADE;');
    h.press(KEY.tab);
    await h.waitFor('[up] down');
    h.press('l'); // focus the SQL
    await h.waitFor('esc list');
    h.press('G');
    f = await h.waitFor(/\d+-45\/45/);
    expect(f).toContain('45 │');
    h.press('g');
    await h.waitFor(/1-\d+\/45/);
    h.press('j');
    await h.waitFor(/2-\d+\/45/);
    h.press(KEY.esc);
    await h.waitFor((x) => !x.includes('esc list') && x.includes('u/d up/down'));
  });

  it('shows the help overlay with ? and closes it with esc', async () => {
    h = await startHarness();
    await h.waitFor('prereqs');
    h.press('?');
    const f = await h.waitFor('Help: type to filter');
    expect(f).toContain('up one migration');
    h.press('j');
    await h.waitFor(/2-\d+\/\d+ j\/k/);
    h.press(KEY.esc);
    await h.waitFor(/Migrations ─+ 12 ─/);
  });

  it('draws no colour at all with colours off, and colours SQL with them on', async () => {
    h = await startHarness({ color: false });
    let f = await h.waitFor('CREATE SCHEMA trakrf;');
    expect(f).not.toContain('\u001b[');
    await h.close();
    h = await startHarness({ color: true });
    f = await h.waitFor((x) => x.includes('\u001b[36mCREATE\u001b[39m SCHEMA trakrf;'));
    expect(f).toContain('\u001b[90m-- Prerequisites');
  });

  it('fits 80x24 and 120x40 and follows a resize, and says when the terminal is too small', async () => {
    h = await startHarness({ cols: 120, rows: 40 });
    let f = await h.waitFor('prereqs');
    expect(f.split('\n')).toHaveLength(39);
    h.tui.store.dispatch({ type: 'resize', cols: 80, rows: 24 });
    f = await h.waitFor((x) => x.split('\n').length === 23);
    for (const line of f.split('\n')) expect([...line].length).toBeLessThanOrEqual(80);
    h.tui.store.dispatch({ type: 'resize', cols: 30, rows: 10 });
    f = await h.waitFor('Terminal too small');
    h.tui.store.dispatch({ type: 'resize', cols: 100, rows: 30 });
    await h.waitFor((x) => x.split('\n').length === 29 && x.includes('prereqs'));
  });

  it('says when the database cannot be reached, and refuses to plan without it', async () => {
    h = await startHarness({
      dir: await sampleFolder(2),
      tui: { controller: { openMonitor: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')) } },
    });
    let f = await h.waitFor('database unreachable: connect ECONNREFUSED');
    h.press('u');
    f = await h.waitFor('Could not make a plan: connect ECONNREFUSED');
    expect(f).not.toContain('[y/N]');
  });
});
