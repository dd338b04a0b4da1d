import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KEY, sampleFolder, startHarness, type Harness } from './helpers.js';
import { freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';

/**
 * Issue 14, items 1 and 5-7, with ink-testing-library against a real database. The browsing tests share
 * one database (they change nothing); the ones that run a plan get their own.
 */
let h: Harness | undefined;
let shared = '';
beforeAll(async () => {
  shared = await freshDatabase('tui_grammar');
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Rows inside the split's log panel, counted on the frame. */
function logPanelRows(frame: string): number {
  const lines = frame.split('\n');
  const top = lines.findIndex((l) => l.startsWith('╭─ Log'));
  const bottom = lines.findIndex((l, i) => i > top && l.startsWith('╰'));
  return bottom - top - 1;
}

describe('TUI: keys in one read', () => {
  it('handles every key of one write, in order', async () => {
    h = await startHarness({ url: shared });
    await h.waitFor('000001_prereqs.up.sql');
    h.press('jjj');
    await h.waitFor('000004_account_users.up.sql');
    h.press('jk\u001b[B'); // j, k, then an arrow: the escape sequence stays whole
    await h.waitFor('000005_locations.up.sql');
  });

  it('a menu takes every key of one write too: jj in the recovery guide moves two ways out, then k one back', async () => {
    const url = await freshDatabase('tui_menu_keys');
    await query(url, 'CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL); INSERT INTO schema_migrations VALUES (1, true)');
    h = await startHarness({ url, dir: migrationsDir({ '1_a.up.sql': 'CREATE TABLE a (id int);\n', '1_a.down.sql': 'DROP TABLE a;\n' }) });
    await h.waitFor(/❯ 1\. /, 15_000);
    h.press('jj');
    await h.waitFor(/❯ 3\. /);
    h.press('k');
    const f = await h.waitFor(/❯ 2\. /);
    expect(f).not.toMatch(/❯ [13]\. /);
    expect(await h.version()).toEqual({ version: '1', dirty: true }); // moving through the menu ran nothing
  });
});

describe('TUI: keyboard grammar', () => {
  it('esc backs out of a filter being typed and of a kept one; the filter shows its match count', async () => {
    h = await startHarness({ url: shared });
    await h.waitFor('prereqs');
    h.press('/');
    h.press('1');
    let f = await h.waitFor(/4 of 12 match/); // 1, 10, 11, 12
    h.press(KEY.esc);
    f = await h.waitFor((x) => !x.includes('filter /'));
    expect(f).toMatch(/Migrations ─+ 12 ─/);
    h.press('/');
    h.press('s');
    h.press('s');
    await h.waitFor(/\d+ of 12 match/);
    h.press(KEY.enter); // kept
    f = await h.waitFor('esc clear filter');
    expect(f).toContain('Migrations /ss');
    h.press(KEY.esc);
    f = await h.waitFor((x) => !x.includes('Migrations /ss'));
    expect(f).toMatch(/·\s+12 sample_data/);
  });

  it("enter opens the selected migration's detail (both halves, status, journal); esc closes it; t goes to it", async () => {
    h = await startHarness({ url: shared });
    await h.waitFor('prereqs');
    h.press('j');
    await h.waitFor('000002_accounts.up.sql');
    h.press(KEY.enter);
    const f = await h.waitFor('Migration: esc closes');
    expect(f).toContain('· 2 accounts');
    expect(f).toContain('Status: pending.');
    // A long path (a deep TMPDIR) wraps, at the space after "up:" or inside it; it is never cut: read the rows joined.
    const joined = (x: string) => x.replace(/\s*│\n│/g, '');
    expect(joined(f)).toMatch(/up: ?\S*000002_accounts\.up\.sql/);
    await h.waitFor((x) => /up: ?\S*000002_accounts\.up\.sql ?\(\d+ ?lines\)/.test(joined(x)));
    await h.waitFor(/CREATE SEQUENCE trakrf\.accounts_id_seq/);
    h.press('G');
    const end = await h.waitFor(/Journal: no step of this migration/);
    expect(joined(end)).toMatch(/down: ?\S*000002_accounts\.down\.sql|DROP TABLE/);
    h.press(KEY.esc);
    await h.waitFor(/Migrations ─/);
    h.press('t');
    await h.waitFor('goto 2 runs: up 1, up 2');
    h.press('n');
    await h.waitFor('Cancelled: nothing was run.');
  });

  it(': opens a command line that completes every action; :lint lints the pending migrations into the log; a bad command says why', async () => {
    h = await startHarness({ url: shared });
    await h.waitFor('prereqs');
    h.press(':');
    let f = await h.waitFor(/:▌/);
    expect(f).toContain('goto up down force history log lint drift refresh help quit');
    h.press('go');
    h.press(KEY.tab);
    f = await h.waitFor(':goto ▌');
    expect(f).toContain('goto <version>: up or down to a version');
    h.press('3');
    h.press(KEY.enter);
    await h.waitFor('goto 3 runs: up 1, up 2, up 3');
    h.press(KEY.esc);
    await h.waitFor('Cancelled: nothing was run.');
    h.press(':');
    h.press('down 0');
    h.press(KEY.enter);
    await h.waitFor('down needs a count of at least 1');
    h.press(KEY.esc);
    await h.waitFor((x) => !x.includes(':down 0'));
    h.press(':');
    h.press('lint');
    h.press(KEY.enter);
    await h.waitFor(/Lint: (no findings in 12 files|\d+ findings? in 12 files)/);
    h.press(':');
    h.press('h');
    h.press(KEY.enter);
    await h.waitFor('"h" could be history or help');
  });

  it('? lists the keys, filters them by typing, and G/g/PgDn scroll to the real end', async () => {
    h = await startHarness({ url: shared, cols: 80, rows: 24 });
    await h.waitFor('prereqs');
    h.press('?');
    let f = await h.waitFor('Help: type to filter');
    h.press('G');
    f = await h.waitFor(/(\d+)-(\d+)\/\2 j\/k g\/G/);
    expect(f).toMatch(/✓ ↺ ✗ · \?\s+recovery guide: kept, rolled back, failed, not run,\s*│\n│\s+unknown/); // the last row, wrapped whole
    h.press('g');
    f = await h.waitFor(/ 1-\d+\/\d+ j\/k g\/G/);
    h.press(KEY.pageDown);
    await h.waitFor((x) => !/ 1-\d+\/\d+ j\/k/.test(x));
    h.press('s');
    h.press('t');
    h.press('e');
    h.press('p');
    f = await h.waitFor('Help /step▌');
    expect(f).toContain('run it step by step');
    expect(f).not.toContain('next / previous migration');
    h.press(KEY.esc); // clears the filter first
    f = await h.waitFor('Help: type to filter');
    h.press(KEY.esc);
    await h.waitFor(/Migrations ─/);
  });
});

describe('TUI: smaller things', () => {
  it('the 80-column footer keeps D, tab, H and L, then ? for the rest; the SQL title keeps its line range after G', async () => {
    h = await startHarness({ url: shared, cols: 80, rows: 24 });
    let f = await h.waitFor('prereqs');
    const footer = f.split('\n').at(-1)!;
    for (const key of ['U/D', 'tab', 'H', 'L', '? more', 'q quit']) expect(footer).toContain(key);
    h.press('l');
    await h.waitFor('esc list');
    h.press('G');
    f = await h.waitFor(/\d+-45\/45 ─╮/);
    expect(f).toContain('000001_prereqs.up.s'); // the title gives way, the range stays
    h.press('l'); // sideways
    f = await h.waitFor(/col 9\+ \d+-45\/45/);
  });

  it('force to a version with no file says so, and that the versions in between count as applied without running', async () => {
    h = await startHarness({ url: shared });
    await h.waitFor('prereqs');
    h.press('f');
    await h.waitFor('force version: ');
    h.press('20');
    h.press(KEY.enter);
    const f = await h.waitFor('[y/N]');
    expect(f).toContain('Version 20 has no file in the folder');
    expect(f).toMatch(/12 versions: 1, 2, 3, … 11, 12 will count as applied without running/);
    h.press('n');
    await h.waitFor('Cancelled: nothing was run.');
  });
});

describe('TUI: the log', () => {
  it('each line carries its time; / searches the full log; it follows new lines until scrolled up and says so; +/- resize the split, which grows while a plan runs', async () => {
    h = await startHarness({ dir: await sampleFolder(3), cols: 100, rows: 20 });
    let f = await h.waitFor('prereqs');
    const before = logPanelRows(f);
    h.press('+');
    f = await h.waitFor((x) => logPanelRows(x) === before + 2);
    h.press('-');
    f = await h.waitFor((x) => logPanelRows(x) === before);
    h.press('U');
    await h.waitFor('[y/N]');
    h.press('y');
    f = await h.waitFor(/Running: up/);
    expect(logPanelRows(f)).toBeGreaterThan(before); // a run gets more log
    await h.waitFor(/\d\d:\d\d:\d\d NOTICE: created table trakrf\.accounts/);
    await h.waitFor(/\d\d:\d\d:\d\d 2\/u accounts \(/);
    f = await h.waitFor(/\d\d:\d\d:\d\d ✓ up: 3 steps done/);
    await h.waitFor('u/d up/down');
    h.press('rrrrrrrrrr'); // ten re-reads in one write: ten more log lines
    await h.waitState((st) => st.log.lines.filter((l) => l.text.startsWith('Re-reading the folder')).length === 10);
    h.press('L');
    f = await h.waitFor('Log: following new lines');
    h.press('/');
    h.press('notice');
    f = await h.waitFor('Log search /notice▌');
    expect(f).toMatch(/\d+ match(es)?/);
    expect(f).not.toContain('1/u prereqs (');
    h.press(KEY.enter);
    f = await h.waitFor('Log /notice (esc clears)');
    h.press(KEY.esc);
    f = await h.waitFor('Log: following new lines');
    h.press('k');
    await h.waitFor('paused: G follows new lines');
    h.press('G');
    await h.waitFor('Log: following new lines');
  });

  it('the split log pane takes the keys with o: it searches with /, stops following when scrolled up, and the wheel scrolls the pane under the pointer', async () => {
    h = await startHarness({ url: shared, cols: 80, rows: 24 });
    await h.waitFor('prereqs');
    h.press('rrrrrrrr'); // eight more log lines than the split shows
    await h.waitState((st) => st.log.lines.filter((l) => l.text.startsWith('Re-reading the folder')).length === 8);
    h.press('o');
    let f = await h.waitFor('Log: following new lines · / searches · esc back to the list');
    expect(f.split('\n').at(-1)).toContain('/ search log');
    h.press('/');
    h.press('project');
    f = await h.waitFor('Log search /project▌');
    expect(f).toMatch(/1 match ─╮/);
    expect(f).not.toContain('Re-reading the folder');
    h.press(KEY.esc);
    f = await h.waitFor('Log: following new lines');
    // The wheel over the log (row 20 of 24 is inside it) scrolls it back: it stops following, and says so.
    h.press('\u001b[<64;10;20M');
    f = await h.waitFor('Log: paused: G follows new lines');
    h.press('G');
    await h.waitFor('Log: following new lines');
    // The wheel over the list moves down it; over the SQL it scrolls the SQL; clicks do nothing.
    h.press(KEY.esc);
    await h.waitFor('u/d up/down');
    h.press('\u001b[<65;5;8M');
    await h.waitFor('[up] down 000004_account_users.up.sql');
    h.press('\u001b[<65;50;8M');
    await h.waitState((st) => st.preview.top === 3);
    h.press('\u001b[<0;50;8M');
    await h.waitState((st) => st.preview.top === 3 && st.mode === 'normal');
  });
});
