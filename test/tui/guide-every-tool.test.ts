import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY, startHarness, type Harness } from './helpers.js';
import { freshDatabase, query } from '../helpers/db.js';
import { capabilitiesOf } from '../../src/tui/capabilities.js';
import { HALF_V1 as V1, HALF_V2 as V2, halfCommittingDbmate } from './guide-fixtures.js';

/**
 * The statement-level recovery guide for a tool without a dirty flag: a dbmate `transaction:false` step
 * whose BEGIN … COMMIT block committed before a later statement failed. dbmate writes no row for it, so
 * it counts the step as pending; the guide says what is kept, in dbmate's words for the ways out.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const versions = async (url: string) => (await query<{ version: string }>(url, 'SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);

describe('TUI: the recovery guide for every tool', () => {
  it('capabilities come from the project in one place: the tracking model the format module names', () => {
    expect(capabilitiesOf({ tracking: { model: 'version' } })).toMatchObject({ tracks: 'version', forceTarget: 'typed-version', failedWord: 'DIRTY', forgetAndRepair: false });
    expect(capabilitiesOf({ tracking: { model: 'rows' } })).toMatchObject({ tracks: 'rows', forceTarget: 'selected-row', failedWord: 'FAILED', forgetAndRepair: true });
  });

  it('dbmate transaction:false, half committed: kept and failed statements with their file lines; re-run needs the version typed; undo ends clean', async () => {
    const url = await freshDatabase('tui_guide_dbmate');
    h = await startHarness({ url, dir: halfCommittingDbmate(), cols: 100, rows: 32 });
    await h.waitFor('dbmate project');
    h.press('U');
    await h.waitFor('[y/N]');
    h.press('y');
    // dbmate has no dirty flag: the guide opens by itself because part of the step is in the database.
    let f = await h.waitFor(`Recovery: up ${V2} users did not finish`, 15_000);
    f = await h.waitFor(/✗ line 5/);
    expect(f).toMatch(/up 20240101000002 users did not finish, and dbmate's table has no row for it, so dbmate counts it/);
    // Lines numbered as in the file (the section starts at line 1 with its marker).
    expect(f).toMatch(/✓ line 2\s+BEGIN/);
    expect(f).toMatch(/✓ line 3\s+CREATE TABLE users \(id int PRIMARY KEY\)/);
    expect(f).toMatch(/create table (public\.)?users: exists now/);
    expect(f).toMatch(/✗ line 5\s+error at 5:\d+ · INSERT INTO no_such_table VALUES \(1\)/);
    // dbmate's words; re-running is never the recommended way out when part of it committed.
    expect(f).toMatch(/1\. Re-run: run up 20240101000002 users again/);
    expect(f).not.toMatch(/Re-run[^\n]*\(recommended\)/);
    expect(f).toMatch(/Undo the partial work: run the down of 20240101000002 \(recommended\)/);
    expect(f).toContain('Leave it for now (:recover brings this back)');
    expect(f).not.toContain('Force another version');
    expect(await versions(url)).toEqual([V1]);

    // Re-run over committed work: the version typed, never y.
    h.press(KEY.enter);
    f = await h.waitFor(`Type ${V2} to run it anyway`);
    expect(f).toContain('Already there (it would run again):');
    expect(f).toMatch(/- table users already there \(line 3\)/);
    expect(f).not.toContain('[y/N]');
    h.press(KEY.esc);
    await h.waitFor('Cancelled: nothing was run.');
    expect(await versions(url)).toEqual([V1]);

    // :recover brings the guide back; undo runs the down section and ends clean.
    h.press(':');
    h.press('recover');
    h.press(KEY.enter);
    await h.waitFor(/❯ 1\. Re-run/);
    h.press('j');
    await h.waitFor(/❯ 2\. Mark applied/);
    h.press('j');
    await h.waitFor(/❯ 3\. Undo/);
    h.press(KEY.enter);
    f = await h.waitFor('[y/N]');
    expect(f).toContain(`recover ${V2} (undo)`);
    h.press('y');
    await h.waitFor(new RegExp(`✓ recover ${V2} \\(undo\\)`), 15_000);
    expect(await versions(url)).toEqual([V1]);
    expect(await query(url, "SELECT to_regclass('public.users') AS t")).toEqual([{ t: null }]);
    expect((await query<{ direction: string; outcome: string }>(url, 'SELECT direction, outcome FROM ladder_journal ORDER BY id')).map((r) => `${r.direction}:${r.outcome}`)).toEqual(['up:ok', 'up:failed', 'down:ok']);
  });
});

describe('TUI: the recovery guide in Flyway terms', () => {
  it('a Flyway script that failed in its transaction: :recover explains it statement by statement, re-run recommended, in Flyway words', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-tui-flyway-'));
    writeFileSync(join(dir, 'V1__accounts.sql'), 'CREATE TABLE accounts (id int PRIMARY KEY);\n');
    writeFileSync(join(dir, 'V2__orders.sql'), 'CREATE TABLE orders (id int PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n');
    const url = await freshDatabase('tui_guide_flyway');
    h = await startHarness({ url, dir, cols: 100, rows: 32 });
    await h.waitFor('Flyway project');
    h.press('U');
    await h.waitFor('[y/N]');
    h.press('y');
    await h.waitState((s) => s.mode !== 'running' && s.run === null && s.log.lines.some((l) => l.text.includes('failed after')), 15_000);
    h.press(':');
    h.press('recover');
    h.press(KEY.enter);
    const f = await h.waitFor(/✗ line 2/);
    expect(f).toMatch(/What failed: up 2 orders · line 2:\d+: relation "no_such_table" does not exist/);
    expect(f).toMatch(/(↺|·) line 1\s+CREATE TABLE orders/);
    expect(f).toContain("Flyway's table has no row for it, so Flyway counts it as pending.");
    expect(f).toContain('Re-run: run up 2 orders again (flyway migrate runs the script again from its first statement)');
    // Nothing of it took effect, so running it again is the recommended way out.
    expect(f).toMatch(/\(recommended\)\s*│\n│\s+2\. Mark applied: write the success row flyway migrate -skipExecutingMigrations writes/);
    expect(f).not.toContain('Force another version');
    expect(await query(url, "SELECT to_regclass('public.orders')::text AS t")).toEqual([{ t: null }]);
  });
});
