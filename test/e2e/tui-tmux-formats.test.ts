import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freshDatabase, query } from '../helpers/db.js';
import { fixtureFolder } from '../tui/helpers.js';

/**
 * The real bin/ladder on a dbmate project in a real pseudo-terminal (tmux): detection, the section
 * preview, a plan run against dbmate's own table, and a clean exit. Skipped only without tmux.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
const SOCKET = `ladder-e2e-fmt-${process.pid}`;
const SESSION = 'ladder';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

async function waitScreen(pred: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const test = typeof pred === 'string' ? (s: string) => s.includes(pred) : (s: string) => pred.test(s);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = tmux('capture-pane', '-p', '-t', SESSION);
    if (test(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pred)}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 30)); // polling the pane, not a fixed wait
  }
}

const keys = (...k: string[]) => {
  for (const key of k) tmux('send-keys', '-t', SESSION, key);
};

describe.skipIf(!hasTmux)(hasTmux ? 'TUI end to end on a dbmate project (tmux, real bin/ladder)' : 'TUI end to end on a dbmate project: SKIPPED because tmux is not installed', () => {
  let url = '';
  beforeAll(async () => {
    if (!existsSync(`${ROOT}/dist/tui/start.js`)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    url = await freshDatabase('tui_e2e_dbmate');
    const dir = await fixtureFolder('dbmate/sample');
    const cmd = `cd '${ROOT}' && node bin/ladder -database '${url}' -path '${dir}'; echo "LADDER_EXIT=$?"; sleep 60`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', cmd);
  }, 120_000);
  afterAll(() => {
    if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
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
    keys('q');
    s = await waitScreen('LADDER_EXIT=0');
    expect(s.replace(/\n/g, '')).toMatch(/: version 20240110090000, 4 pending\./); // the exit summary (the pane wraps it)
    expect(tmux('display', '-p', '-t', SESSION, '#{alternate_on}').trim()).toBe('0');
  }, 60_000);
});
