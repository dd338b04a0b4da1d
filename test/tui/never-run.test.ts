import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY, startHarness, type Harness } from './helpers.js';
import { freshDatabase, query, trackingRows } from '../helpers/db.js';
import { ladderIn } from '../insight/helpers.js';

/** :never-run V: the TUI's out-of-order run of a migration merged late below the current version. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('TUI: a never-run migration, run out of order', () => {
  it('is marked never run; :never-run 2 plans it, runs it on y, and the recorded version stays 3', async () => {
    const url = await freshDatabase('tui_never_run');
    const dir = mkdtempSync(join(tmpdir(), 'ladder-tui-nr-'));
    const write = (name: string, sql: string) => writeFileSync(join(dir, name), sql);
    write('1_a.up.sql', 'CREATE TABLE a (id int);');
    write('1_a.down.sql', 'DROP TABLE a;');
    write('3_c.up.sql', 'CREATE TABLE c (id int);');
    write('3_c.down.sql', 'DROP TABLE c;');
    expect((await ladderIn(['-path', dir, '-database', url, 'up'])).code).toBe(0);
    write('2_b.up.sql', 'CREATE TABLE b (id int);');
    write('2_b.down.sql', 'DROP TABLE b;');

    h = await startHarness({ url, dir });
    await h.waitFor(/○! 2 b/); // not ✓: the journal shows the database went past 2 without running it
    h.press('k');
    h.press(KEY.enter);
    await h.waitFor('never run: below the current version');
    h.press(KEY.esc);
    await h.waitFor(/Migrations ─/);
    h.press(':');
    h.press('never');
    h.press(KEY.tab);
    const typed = await h.waitFor(':never-run ▌');
    expect(typed).toContain('never-run <version>: run a migration marked never run, out of order');
    h.press('2');
    h.press(KEY.enter);
    const plan = await h.waitFor('up --never-run 2 runs: up 2');
    expect(plan).toContain('Runs 2 out of order, below version 3');
    h.press('y');
    await h.waitFor(/2\/u b \(/);
    await h.waitFor(/✓  2 b/); // re-read after the run: it ran now
    expect(await trackingRows(url)).toEqual([{ version: '3', dirty: false }]);
    expect(await query(url, "SELECT to_regclass('b')::text AS b")).toEqual([{ b: 'b' }]);
    expect(await query(url, "SELECT version::text, target_version::text, outcome FROM ladder_journal WHERE version = 2")).toEqual([{ version: '2', target_version: '3', outcome: 'ok' }]);

    // A second time it is refused: it ran now.
    h.press(':');
    h.press('never-run 2');
    h.press(KEY.enter);
    await h.waitFor(/not a never-run migration/);
    expect(await query(url, 'SELECT count(*)::int AS n FROM ladder_journal WHERE version = 2')).toEqual([{ n: 1 }]);
  });
});
