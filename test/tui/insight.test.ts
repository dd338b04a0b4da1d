import { afterEach, describe, expect, inject, it } from 'vitest';
import { KEY, sampleFolder, startHarness, type Harness } from './helpers.js';
import { freshDatabase, query } from '../helpers/db.js';

/** Issue 16 in the TUI: a step's schema diff in the detail view, and drift (on request) in the header. */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('TUI: schema insight', () => {
  it("the detail view shows what the migration's last run changed; :drift marks a hand-made column in the header", async () => {
    const url = await freshDatabase('tui_insight');
    h = await startHarness({ url, dir: await sampleFolder(2), cols: 100, rows: 40, tui: { controller: { scratchUrl: inject('adminUrl') } } });
    await h.waitFor('accounts');
    h.press('U');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitFor(/version 2 accounts\s+clean/);
    await h.waitFor('u/d up/down');
    h.press('G');
    await h.waitFor('000002_accounts.up.sql');
    h.press(KEY.enter);
    let f = await h.waitFor(/What its last run changed:\s*│\n│up of 2 at .* \(ok\):/);
    expect(f).toMatch(/\+ table trakrf\.accounts/);
    h.press(KEY.esc);
    await h.waitFor('u/d up/down');
    // Nothing is checked until asked: the header says nothing about drift yet.
    expect(h.frame()).not.toMatch(/drift/i);
    await query(url, 'ALTER TABLE trakrf.accounts ADD COLUMN hand_made int');
    h.press(':');
    h.press('drift');
    h.press(KEY.enter);
    f = await h.waitFor('DRIFT: 1 difference', 60_000);
    expect(f).toMatch(/\+ column trakrf\.accounts\.hand_made int \(not made by any migration\)/);
    await query(url, 'ALTER TABLE trakrf.accounts DROP COLUMN hand_made');
    h.press(':');
    h.press('drift');
    h.press(KEY.enter);
    f = await h.waitFor(/version 2 accounts\s+clean\s+0 pending\s+no drift/, 60_000);
  }, 90_000);
});
