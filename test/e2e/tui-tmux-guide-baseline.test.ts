import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTmux, tmuxDriver } from './tmux-driver.js';
import { freshDatabase, query } from '../helpers/db.js';
import { HALF_V1, HALF_V2, halfCommittingDbmate } from '../tui/guide-fixtures.js';

/**
 * The real bin/ladder at 80x24 in tmux: the statement-level recovery guide for a dbmate transaction:false
 * step that committed its BEGIN … COMMIT block and then failed, and a baseline by evidence on dbmate.
 */
const guide = tmuxDriver('guide');
const baseline = tmuxDriver('baseline');

const versions = async (url: string) => (await query<{ version: string }>(url, 'SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);

describe.skipIf(!hasTmux)(hasTmux ? 'TUI end to end: the recovery guide and baseline on dbmate (tmux, real bin/ladder)' : 'TUI guide/baseline end to end: SKIPPED because tmux is not installed', () => {
  afterAll(() => {
    guide.stop();
    baseline.stop();
  });

  it('a half-committed transaction:false step: the guide lists kept and failed statements with file lines, and undo ends clean', async () => {
    const url = await freshDatabase('tui_e2e_guide');
    guide.start(`-database '${url}' -path '${halfCommittingDbmate()}'`, 80, 24);
    await guide.waitScreen(/Ladder\s+dbmate /);
    await guide.waitIdle();
    guide.keys('U');
    await guide.waitScreen((x) => x.includes('[y/N]') && !x.includes('⏸'));
    guide.keys('y');
    let s = await guide.waitScreen(`Recovery: up ${HALF_V2} users did not finish`);
    // At 80x24 the breakdown opens on the failed statement; J/K scroll it to the ones that committed.
    s = await guide.waitScreen(/✗ line 5\s+error at 5:\d+ · INSERT INTO no_such_table/);
    expect(s).toContain(`Undo the partial work: run the down of ${HALF_V2} (recommended)`);
    guide.keys('K');
    s = await guide.waitScreen(/✓ line 4\s+COMMIT/);
    guide.keys('K');
    guide.keys('K');
    s = await guide.waitScreen(/✓ line 3\s+CREATE TABLE users \(id int PRIMARY KEY\)/);
    expect(await versions(url)).toEqual([HALF_V1]);
    expect(await query(url, "SELECT to_regclass('public.users')::text AS t")).toEqual([{ t: 'users' }]);
    guide.keysAtOnce('j', 'j'); // in one read, as autorepeat delivers them: the menu takes both
    s = await guide.waitScreen(/❯ 3\. Undo/);
    guide.keys('Enter');
    // The plan came up by itself after the menu closed: keys that change things wait a moment (⏸).
    await guide.waitScreen((x) => x.includes('[y/N]') && !x.includes('⏸'));
    guide.keys('y');
    await guide.waitScreen(new RegExp(`✓ recover ${HALF_V2} \\(undo\\)`));
    expect(await versions(url)).toEqual([HALF_V1]);
    expect(await query(url, "SELECT to_regclass('public.users')::text AS t")).toEqual([{ t: null }]);
    await guide.waitIdle();
    guide.keys('q');
    await guide.waitScreen('LADDER_EXIT=0');
  }, 60_000);

  it('b baselines the dbmate migrations whose tables exist, showing the evidence first; dbmate rows written, nothing run', async () => {
    const url = await freshDatabase('tui_e2e_baseline');
    const dir = mkdtempSync(join(tmpdir(), 'ladder-e2e-baseline-'));
    writeFileSync(join(dir, '20240101000001_users.sql'), '-- migrate:up\nCREATE TABLE users (id int PRIMARY KEY, email text);\n\n-- migrate:down\nDROP TABLE users;\n');
    writeFileSync(join(dir, '20240101000002_audit.sql'), '-- migrate:up\nCREATE TABLE audit_logs (id int);\n\n-- migrate:down\nDROP TABLE audit_logs;\n');
    // 1 was applied by hand, with a row already in it (baseline must not run the file).
    await query(url, 'CREATE TABLE users (id int PRIMARY KEY, email text); INSERT INTO users VALUES (1, $$a@b$$);');
    baseline.start(`-database '${url}' -path '${dir}'`, 80, 24);
    await baseline.waitScreen(/Ladder\s+dbmate /);
    await baseline.waitIdle();
    baseline.keys('b');
    let s = await baseline.waitScreen((x) => x.includes('[y/N]') && !x.includes('⏸'));
    expect(s).toContain('baseline: record 1 migration as applied without running it');
    expect(s).toContain('+ 20240101000001 users: all of its effects are in the database');
    expect(s).toMatch(/ {4}users: exists/);
    // Where it stopped, and why, is below in the plan: scroll to it.
    baseline.keys('G');
    s = await baseline.waitScreen(/Stops before 20240101000002 audit/);
    expect(s).toMatch(/ {4}audit_logs: missing/);
    expect(s).toMatch(/users\.email: exists/);
    baseline.keys('y');
    s = await baseline.waitScreen('✓ baseline: 1 recorded as applied');
    expect(await versions(url)).toEqual(['20240101000001']);
    expect(await query(url, 'SELECT count(*)::int AS n FROM users')).toEqual([{ n: 1 }]);
    expect(await query(url, "SELECT to_regclass('public.audit_logs')::text AS t")).toEqual([{ t: null }]);
    await baseline.waitIdle();
    baseline.keys('q');
    await baseline.waitScreen('LADDER_EXIT=0');
  }, 60_000);
});
