import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasTmux, tmuxDriver } from './tmux-driver.js';
import { freshDatabase, query } from '../helpers/db.js';
import { fixtureFolder } from '../tui/helpers.js';

/**
 * The real bin/ladder on a dbmate project in a real pseudo-terminal (tmux): detection, the section
 * preview, a plan run against dbmate's own table, and a clean exit. Skipped only without tmux.
 */
const t = tmuxDriver('dbmate');
const { waitScreen, keys } = t;

describe.skipIf(!hasTmux)(hasTmux ? 'TUI end to end on a dbmate project (tmux, real bin/ladder)' : 'TUI end to end on a dbmate project: SKIPPED because tmux is not installed', () => {
  let url = '';
  beforeAll(async () => {
    url = await freshDatabase('tui_e2e_dbmate');
    const dir = await fixtureFolder('dbmate/sample');
    t.start(`-database '${url}' -path '${dir}'`, 100, 30);
  }, 120_000);
  afterAll(() => {
    t.stop();
  });

  it('detects dbmate, previews one section, applies through a plan into schema_migrations, quits cleanly', async () => {
    let s = await waitScreen("dbmate project: 5 of 5 .sql files carry dbmate's '-- migrate:up' marker.");
    expect(s).toMatch(/lock free \(dbmate may ignore it: see \?\)/);
    expect(s).toMatch(/ 4 │ -- migrate:up/);
    expect(s).not.toContain('drop table accounts');
    keys('Tab');
    s = await waitScreen('drop table accounts;');
    expect(s).toMatch(/11 │ -- migrate:down/);
    keys('Tab'); // one key at a time: two keys in one read reach Ink as one input
    await waitScreen(/\[up\] down 20240110090000_create_accounts\.sql/);
    keys('u');
    s = await waitScreen('[y/N]');
    expect(s).toContain('1. up 20240110090000 create_accounts  20240110090000_create_accounts.sql (lines 4-10)');
    keys('y');
    s = await waitScreen(/version 20240110090000 create_accounts\s+clean\s+4 pending/);
    expect(s).toMatch(/│✓\s+20240110090000 create_accounts\s+◀/);
    expect(await query(url, 'SELECT version FROM schema_migrations')).toEqual([{ version: '20240110090000' }]);
    await t.waitIdle();
    keys('q');
    s = await waitScreen('LADDER_EXIT=0');
    expect(s.replace(/\n/g, '')).toMatch(/: version 20240110090000, 4 pending\./); // the exit summary (the pane wraps it)
    expect(t.display('#{alternate_on}')).toBe('0');
  }, 60_000);
});
