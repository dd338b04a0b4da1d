import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, tmuxDriver } from './tmux-driver.js';
import { freshDatabase, query } from '../helpers/db.js';
import { sampleFolder } from '../tui/helpers.js';

/**
 * The real bin/ladder in a real pseudo-terminal: tmux makes its own pty, so this runs on CI machines
 * without a TTY too. Skipped only when tmux is not installed.
 */
const t = tmuxDriver('sample');
const { waitScreen, keys } = t;

describe.skipIf(!hasTmux)(hasTmux ? 'TUI end to end (tmux, real bin/ladder, real database)' : 'TUI end to end: SKIPPED because tmux is not installed', () => {
  let url = '';
  const raw = join(tmpdir(), `ladder-e2e-frames-${process.pid}.raw`);
  beforeAll(async () => {
    url = await freshDatabase('tui_e2e');
    const dir = await sampleFolder(2);
    t.start(`-database '${url}' -path '${dir}'`, 120, 40, { raw });
  }, 120_000);
  afterAll(() => {
    t.stop();
    rmSync(raw, { force: true });
  });

  it('opens, applies two migrations with confirmation, shows their notices, goes back down, quits cleanly', async () => {
    let s = await waitScreen(/·\s+2 accounts/);
    expect(s).toMatch(/version none\s+clean\s+2 pending/);
    expect(s).toContain('[up] down 000001_prereqs.up.sql');
    expect(s.split('\n').filter((l) => l.trim() !== '').length).toBe(39); // rows - 1, nothing scrolled
    expect(t.display('#{alternate_on}')).toBe('1');

    keys('u');
    s = await waitScreen('[y/N]');
    expect(s).toContain('1. up 1 prereqs');
    expect(await query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_migrations'")).toHaveLength(0);
    keys('y');
    s = await waitScreen(/1\/u prereqs \(/);
    s = await waitScreen(/NOTICE: schema trakrf ready/);
    expect(await query(url, 'SELECT version::text AS v, dirty FROM schema_migrations')).toEqual([{ v: '1', dirty: false }]);

    await t.waitIdle();
    keys('u');
    s = await waitScreen('up 1 runs: up 2');
    keys('y');
    s = await waitScreen(/2\/u accounts \(/);
    s = await waitScreen('NOTICE: created table trakrf.accounts with row-level security');
    s = await waitScreen(/version 2 accounts\s+clean\s+0 pending/);
    expect(s).toMatch(/✓\s+2 accounts\s+◀/);
    expect(await query(url, 'SELECT version::text AS v, dirty FROM schema_migrations')).toEqual([{ v: '2', dirty: false }]);

    await t.waitIdle();
    keys('d');
    s = await waitScreen('down 1 runs: down 2');
    expect(s).toContain('DROP TABLE IF EXISTS trakrf.accounts;');
    keys('y');
    await waitScreen(/2\/d accounts \(/);
    await t.waitIdle();
    keys('d');
    await waitScreen('down 1 runs: down 1');
    keys('y');
    s = await waitScreen(/1\/d prereqs \(/);
    s = await waitScreen(/version none\s+clean\s+2 pending/);
    expect(await query(url, 'SELECT version FROM schema_migrations')).toEqual([]);

    // The mouse wheel over the list moves down it (a report as the terminal sends it: SGR, button 65 = wheel down).
    t.literal('\u001b[<65;5;6M');
    await waitScreen(/─ \[up\] down 000002_accounts\.up\.sql/);

    await t.waitIdle();
    keys('q');
    s = await waitScreen('LADDER_EXIT=0');
    // No torn frames: on the real byte stream every frame is drawn inside one synchronized update
    // (ESC[?2026h … ESC[?2026l); outside them only mode switches (alternate screen, mouse, cursor) remain.
    const bytes = readFileSync(raw, 'latin1');
    const open = bytes.split('\u001b[?2026h').length - 1;
    expect(open).toBeGreaterThan(5);
    expect(bytes.split('\u001b[?2026l').length - 1).toBe(open);
    expect(bytes.indexOf('\u001b[?1049h')).toBeLessThan(bytes.indexOf('\u001b[?2026h')); // captured from the start
    expect(/\u001b\[\?2026h(?:(?!\u001b\[\?2026l)[\s\S])*\u001b\[\?2026h/.test(bytes)).toBe(false); // never nested or left open
    const outside = bytes.replace(/\u001b\[\?2026h[\s\S]*?\u001b\[\?2026l/g, '').replace(/\u001b\[\?(?:1049|1000|1006|25)[hl]/g, '');
    expect(outside.replace(/postgres:\/\/\S+: no version, 2 pending\.\r?\n/, '').replace(/LADDER_EXIT=0\s*/, '').trim()).toBe('');
    expect(s).toMatch(/: no version, 2 pending\./);
    expect(t.display('#{alternate_on}')).toBe('0'); // the terminal is restored
  }, 60_000);
});
