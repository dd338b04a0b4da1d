import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, tmuxDriver } from './tmux-driver.js';
import { freshDatabase, query } from '../helpers/db.js';

/**
 * Issue 15 in the TUI: a folder that golang-migrate and sqlx name alike, on an empty database. The first
 * change asks which tool (nothing is created before the answer), then Ladder goes on as that tool.
 */
const t = tmuxDriver('ambiguous');
const { waitScreen, keys } = t;

describe.skipIf(!hasTmux)(hasTmux ? 'TUI on an ambiguous folder (tmux, real bin/ladder)' : 'TUI on an ambiguous folder: SKIPPED because tmux is not installed', () => {
  let url = '';
  beforeAll(async () => {
    url = await freshDatabase('tui_e2e_ambiguous');
    const dir = mkdtempSync(join(tmpdir(), 'ladder-ambiguous-'));
    writeFileSync(join(dir, '20240101000000_widgets.up.sql'), 'CREATE TABLE widgets (id int);\n');
    writeFileSync(join(dir, '20240101000000_widgets.down.sql'), 'DROP TABLE widgets;\n');
    t.start(`-database '${url}' -path '${dir}'`, 80, 24);
  }, 120_000);
  afterAll(() => {
    t.stop();
  });

  it('asks which tool before the first change, creates nothing until answered, then runs as the chosen tool', async () => {
    await waitScreen(/widgets/);
    keys('u');
    let s = await waitScreen('Which tool is this folder for?');
    expect(s).toMatch(/1\. golang-migrate \(-format golang-migrate\)/);
    expect(s).toMatch(/2\. sqlx \(-format sqlx\)/);
    const tables = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1";
    expect(await query(url, tables)).toEqual([]);
    keys('Escape');
    await waitScreen('u/d up/down');
    expect(await query(url, tables)).toEqual([]);
    keys('u');
    await waitScreen('Which tool is this folder for?');
    keys('Down');
    await waitScreen(/❯ 2\. sqlx/);
    keys('Enter');
    s = await waitScreen(/Ladder\s+sqlx/);
    await t.waitIdle();
    keys('u');
    await waitScreen('[y/N]');
    keys('y');
    await waitScreen(/✓ up/);
    const rows = await query<{ table_name: string }>(url, tables);
    expect(rows.map((r) => r.table_name)).toEqual(['_sqlx_migrations', 'ladder_journal', 'widgets']);
    await t.waitIdle();
    keys('q');
    await waitScreen('LADDER_EXIT=0');
  }, 60_000);
});
