import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src/cli/run-cli.js';
import type { CliIO } from '../../src/headless/io.js';
import { cleanEnv } from '../helpers/cli.js';

export const PLAIN_FIXTURES = resolve(import.meta.dirname, '../fixtures/plain');

/** A temp copy of test/fixtures/plain/<name> (tests edit or delete files in it). */
export function copyPlainFixture(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `ladder-plain-${name}-`));
  cpSync(join(PLAIN_FIXTURES, name), dir, { recursive: true });
  return dir;
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Ladder's CLI in this process (the engine and printing are what these tests exercise, not process start-up). */
export async function cli(args: string[], opts: { cwd?: string; answer?: string; interactive?: boolean; env?: Record<string, string> } = {}): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (t) => void (stdout += t),
    err: (t) => void (stderr += t),
    interactive: opts.interactive ?? false,
    ask: async (q) => {
      stderr += q;
      return opts.answer ?? '';
    },
  };
  const code = await runCli(args, io, { env: cleanEnv(opts.env), cwd: opts.cwd ?? tmpdir() });
  return { code, stdout, stderr };
}

/** `ladder -path dir -database url ...` in this process. */
export const cliOn =
  (dir: string, url: string) =>
  (args: string[], opts?: Parameters<typeof cli>[1]): Promise<InProcessResult> =>
    cli(['-path', dir, '-database', url, ...args], opts);

export const stepLines = (stdout: string): string[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replace(/ \([0-9.]+(?:ns|µs|ms|s|m|h)+\)$/, ''));
