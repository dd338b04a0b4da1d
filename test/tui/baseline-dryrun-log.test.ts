import { afterEach, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEY, startHarness, type Harness } from './helpers.js';
import { freshDatabase, query } from '../helpers/db.js';
import { wrapRows, logWindow, type LogLine } from '../../src/tui/log-lines.js';

/** b / :baseline with the catalog's evidence, d (dry run) in the plan view, and log lines wrapped whole. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-tui-bdl-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const LONG = 'x'.repeat(30) + ' the end of a very long notice that must be readable whole in the log pane, not cut with an ellipsis';
const GOLANG = {
  '1_users.up.sql': 'CREATE TABLE users (id int PRIMARY KEY, email text);\nCREATE INDEX users_email_idx ON users (email);\n',
  '1_users.down.sql': 'DROP TABLE users;\n',
  '2_audit.up.sql': 'CREATE TABLE audit_logs (id int);\n',
  '2_audit.down.sql': 'DROP TABLE audit_logs;\n',
  '3_notice.up.sql': `DO $$ BEGIN RAISE NOTICE '${LONG}'; END $$;\nALTER TABLE users ADD COLUMN name text;\n`,
  '3_notice.down.sql': 'ALTER TABLE users DROP COLUMN name;\n',
  '4_broken.up.sql': 'CREATE TABLE t4 (id int);\nINSERT INTO t4 VALUES (1);\nSELECT no_such_column FROM t4;\n',
  '4_broken.down.sql': 'DROP TABLE t4;\n',
};

const snapshot = async (url: string) =>
  query<{ n: string }>(url, "SELECT string_agg(table_name || '.' || column_name, ',' ORDER BY table_name, column_name) AS n FROM information_schema.columns WHERE table_schema = 'public'");


/** Opens the TUI on the folder, plans U (up all) and presses d: the columns before, and the dry run's frame. */
async function dryRunOfUpAll(url: string, o: Omit<Parameters<typeof startHarness>[0], 'url'>, ready: string, timeoutMs: number) {
  const harness = await startHarness({ url, ...o });
  h = harness; // closed by afterEach, even if what follows fails
  await harness.waitFor(ready);
  const before = await snapshot(url);
  harness.press('U');
  await harness.waitFor('[y/N]');
  harness.press('d');
  return { harness, before, frame: await harness.waitFor('Dry run: esc back to the plan', timeoutMs) };
}

describe('TUI: baseline, dry run, wrapped log', () => {
  it('b records only the migrations whose effects are in the database, with the evidence before y; golang-migrate writes force V', async () => {
    // 1 was applied by hand; 2's table is missing.
    const url = await freshDatabase('tui_baseline');
    await query(url, 'CREATE TABLE users (id int PRIMARY KEY, email text); CREATE INDEX users_email_idx ON users (email);');
    h = await startHarness({ url, dir: folder(GOLANG), cols: 100, rows: 40 });
    await h.waitFor('users');
    h.press('b');
    const f = await h.waitFor('[y/N]');
    expect(f).toContain('baseline: record 1 migration as applied without running it');
    expect(f).toContain('+ 1 users: all of its effects are in the database');
    expect(f).toMatch(/users: exists/);
    expect(f).toMatch(/users\.email: exists/);
    expect(f).toMatch(/users_email_idx: exists/);
    expect(f).toMatch(/Stops before 2 audit: not all of its effects are in the database/);
    expect(f).toMatch(/Stops before 2 audit[^\n]*\n[^\n]*audit_logs: missing/);
    expect(f).toContain('Record this migration as applied on');
    expect(f).not.toContain('d dry run');
    h.press('y');
    await h.waitFor('✓ baseline: 1 recorded as applied; nothing was run. The database is at version 1.');
    expect(await h.version()).toEqual({ version: '1', dirty: false });
    expect(await query(url, "SELECT to_regclass('public.audit_logs') AS t")).toEqual([{ t: null }]);
    // Nothing left that the catalog shows: it says so and records nothing.
    h.press('b');
    await h.waitState((s) => s.log.lines.some((l) => l.text.includes('nothing to record: the first pending migration, 2 audit, is not in the database')));
    expect(await h.version()).toEqual({ version: '1', dirty: false });
  });

  it('d in the plan rehearses it: notices, duration, schema diff, the failing line; esc back to the same plan; nothing changed', async () => {
    const url = await freshDatabase('tui_dry_run');
    const run = await dryRunOfUpAll(url, { dir: folder(GOLANG), cols: 100, rows: 40 }, 'users', 15_000);
    h = run.harness;
    const before = run.before;
    let f = run.frame;
    expect(f).toContain('Dry run of up: 4 steps rehearsed in a transaction that was rolled back.');
    expect(f).toMatch(/1 step would fail/);
    expect(f).toMatch(/✓ 1\/u users: would succeed/);
    expect(f).toMatch(/\+ index users_email_idx on users\(email\)/);
    expect(f).toMatch(/✓ 2\/u audit: would succeed \(\d+(\.\d+)?m?s\)/);
    expect(f).toMatch(/\+ table (public\.)?audit_logs/);
    expect(f).toMatch(/✓ 3\/u notice: would succeed/);
    expect(f).toContain('NOTICE: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx the end of a very long notice');
    expect(f).toContain('ellipsis'); // wrapped whole
    expect(f).toMatch(/\+ column (public\.)?users\.name text/);
    expect(f).toMatch(/✗ 4\/u broken: WOULD FAIL/);
    expect(f).toMatch(/column "no_such_column" does not exist at 4_broken\.up\.sql:3:8/);
    expect(f).toContain('3 | SELECT no_such_column FROM t4;');
    h.press(KEY.esc);
    f = await h.waitFor('[y/N]');
    expect(f).toContain('up runs: up 1, up 2, up 3, up 4');
    // The database is exactly as before: no tracking change, no journal row, no schema change.
    expect(await h.version()).toBeNull();
    expect(await snapshot(url)).toEqual(before);
    const [journal] = await query<{ t: string | null }>(url, "SELECT to_regclass('public.ladder_journal')::text AS t");
    if (journal!.t !== null) expect(await query(url, 'SELECT count(*)::int AS n FROM ladder_journal')).toEqual([{ n: 0 }]);
    expect(h.tui.store.getState().log.lines.some((l) => l.text.startsWith('Dry run of up: 4/u broken would fail'))).toBe(true);
    h.press('n');
    await h.waitFor('Cancelled: nothing was run.');
  });

  it('d: a step a transaction cannot hold, and the steps after it, are rehearsed on a scratch copy; nothing changed', async () => {
    const url = await freshDatabase('tui_dry_run_scratch');
    const dir = folder({
      '1_t.up.sql': 'CREATE TABLE t (id int);\n',
      '1_t.down.sql': 'DROP TABLE t;\n',
      '2_idx.up.sql': 'CREATE INDEX CONCURRENTLY t_id_idx ON t (id);\n',
      '2_idx.down.sql': 'DROP INDEX CONCURRENTLY t_id_idx;\n',
      '3_col.up.sql': 'ALTER TABLE t ADD COLUMN c int;\n',
      '3_col.down.sql': 'ALTER TABLE t DROP COLUMN c;\n',
    });
    const run = await dryRunOfUpAll(url, { dir, cols: 120, rows: 40, tui: { controller: { scratchUrl: inject('adminUrl') } } }, 'col', 30_000);
    h = run.harness;
    const { before, frame: f } = run;
    expect(f).toMatch(/✓ 1\/u t: would succeed/);
    expect(f).toMatch(/✓ 2\/u idx: would succeed/);
    expect(f).toMatch(/\+ index t_id_idx on t\(id\)/);
    expect(f).toMatch(/✓ 3\/u col: would succeed/);
    expect(f).toMatch(/\+ column (public\.)?t\.c int/);
    expect(f).toMatch(/why: rehearsed on a scratch copy/);
    expect(f).toContain('Dry run of up: 3 steps rehearsed in a transaction that was rolled back (2 on a scratch copy, dropped afterwards).');
    const said = 'Dry run of up: 3 steps rehearsed and rolled back (2 on a scratch copy, dropped afterwards); nothing was changed.';
    await h.waitState((s) => s.log.lines.some((l) => l.text === said));
    expect(await h.version()).toBeNull();
    expect(await snapshot(url)).toEqual(before);
    h.press(KEY.esc);
    await h.waitFor('[y/N]');
    h.press('n');
    await h.waitFor('Cancelled: nothing was run.');
  }, 60_000);

  it('a long NOTICE wraps whole in the log pane and in L, the time on its first row; scrolling back counts rows', async () => {
    h = await startHarness({ dir: folder({ '1_notice.up.sql': GOLANG['3_notice.up.sql'].replace('ALTER TABLE users ADD COLUMN name text', 'CREATE TABLE n (id int)'), '1_notice.down.sql': 'DROP TABLE n;\n' }), cols: 80, rows: 24 });
    await h.waitFor('notice');
    h.press('u');
    await h.waitFor('[y/N]');
    h.press('y');
    let f = await h.waitFor(/✓ up 1: 1 step done/, 15_000);
    f = await h.waitFor('ellipsis');
    const rows = f.split('\n');
    const at = rows.findIndex((l) => /\d\d:\d\d:\d\d NOTICE: x{30}/.test(l));
    expect(at).toBeGreaterThan(0);
    expect(rows[at + 1]).toMatch(/^│ {9}\S/); // the continuation sits under the text, no time
    expect(f).not.toMatch(/\d\d:\d\d:\d\d NOTICE[^\n]*…/);
    h.press('L');
    f = await h.waitFor('Log: following new lines');
    expect(f).toContain('cut with an ellipsis');
    for (let i = 0; i < 20; i++) h.tui.controller.log({ kind: 'info', text: `filler ${i} ${'word '.repeat(20)}end` });
    f = await h.waitFor('filler 19');
    expect(f).toMatch(/filler 19 (word ){10}[^\n]*\n│ {9}(word )+/); // wrapped, under its text
    h.press('k');
    f = await h.waitFor('paused: G follows new lines');
    h.press('G');
    await h.waitFor('Log: following new lines');
    h.press(KEY.esc);
  });

  it('wraps at spaces, cuts a word longer than a row, and windows rows from the newest', () => {
    expect(wrapRows('abc def ghi', 7)).toEqual(['abc def', 'ghi']);
    expect(wrapRows('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapRows('short', 10)).toEqual(['short']);
    const lines: LogLine[] = [
      { id: 1, kind: 'info', text: 'one', at: 0 },
      { id: 2, kind: 'info', text: 'two two two', at: 0 },
      { id: 3, kind: 'info', text: 'three', at: 0 },
    ];
    expect(logWindow(lines, 7, 0, 2).rows.map((r) => r.text)).toEqual(['two', 'three']);
    expect(logWindow(lines, 7, 1, 3).rows.map((r) => r.text)).toEqual(['one', 'two two', 'two']);
  });
});
