import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freshDatabase, query } from '../helpers/db.js';
import { sampleFolder } from '../tui/helpers.js';

/**
 * The real bin/ladder in a real pseudo-terminal: tmux makes its own pty, so this runs on CI machines
 * without a TTY too. Skipped only when tmux is not installed.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;
const SOCKET = `ladder-e2e-${process.pid}`;
const SESSION = 'ladder';

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', SESSION);
}

async function waitScreen(pred: string | RegExp, timeoutMs = 15_000): Promise<string> {
  const test = typeof pred === 'string' ? (s: string) => s.includes(pred) : (s: string) => pred.test(s);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (test(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pred)}; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 30)); // polling the pane, not a fixed wait
  }
}

function keys(...k: string[]): void {
  for (const key of k) tmux('send-keys', '-t', SESSION, key);
}

describe.skipIf(!hasTmux)(hasTmux ? 'TUI end to end (tmux, real bin/ladder, real database)' : 'TUI end to end: SKIPPED because tmux is not installed', () => {
  let url = '';
  beforeAll(async () => {
    if (!existsSync(`${ROOT}/dist/tui/start.js`)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'inherit' });
    url = await freshDatabase('tui_e2e');
    const dir = await sampleFolder(2);
    const cmd = `cd '${ROOT}' && node bin/ladder -database '${url}' -path '${dir}'; echo "LADDER_EXIT=$?"; sleep 60`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '120', '-y', '40', cmd);
  }, 120_000);
  afterAll(() => {
    if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  });

  it('opens, applies two migrations with confirmation, shows their notices, goes back down, quits cleanly', async () => {
    let s = await waitScreen(/·\s+2 accounts/);
    expect(s).toMatch(/version none\s+clean\s+2 pending/);
    expect(s).toContain('[up] down 000001_prereqs.up.sql');
    expect(s.split('\n').filter((l) => l.trim() !== '').length).toBe(39); // rows - 1, nothing scrolled
    expect(tmux('display', '-p', '-t', SESSION, '#{alternate_on}').trim()).toBe('1');

    keys('u');
    s = await waitScreen('[y/N]');
    expect(s).toContain('1. up 1 prereqs');
    expect(await query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_migrations'")).toHaveLength(0);
    keys('y');
    s = await waitScreen(/1\/u prereqs \(/);
    s = await waitScreen(/NOTICE: schema trakrf ready/);
    expect(await query(url, 'SELECT version::text AS v, dirty FROM schema_migrations')).toEqual([{ v: '1', dirty: false }]);

    keys('u');
    s = await waitScreen('up 1 runs: up 2');
    keys('y');
    s = await waitScreen(/2\/u accounts \(/);
    s = await waitScreen('NOTICE: created table trakrf.accounts with row-level security');
    s = await waitScreen(/version 2 accounts\s+clean\s+0 pending/);
    expect(s).toMatch(/✓\s+2 accounts\s+◀/);
    expect(await query(url, 'SELECT version::text AS v, dirty FROM schema_migrations')).toEqual([{ v: '2', dirty: false }]);

    keys('d');
    s = await waitScreen('down 1 runs: down 2');
    expect(s).toContain('DROP TABLE IF EXISTS trakrf.accounts;');
    keys('y');
    await waitScreen(/2\/d accounts \(/);
    keys('d');
    await waitScreen('down 1 runs: down 1');
    keys('y');
    s = await waitScreen(/1\/d prereqs \(/);
    s = await waitScreen(/version none\s+clean\s+2 pending/);
    expect(await query(url, 'SELECT version FROM schema_migrations')).toEqual([]);

    keys('q');
    s = await waitScreen('LADDER_EXIT=0');
    expect(s).toMatch(/: no version, 2 pending\./);
    expect(tmux('display', '-p', '-t', SESSION, '#{alternate_on}').trim()).toBe('0'); // the terminal is restored
  }, 60_000);
});
