import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../bin/ladder');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

/** Environment without the caller's database settings, so tests never touch a developer's database. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.DATABASE_URL;
  delete env.LADDER_PATH;
  return { ...env, ...extra };
}

export function startLadder(args: string[], opts: RunOptions = {}): { child: ChildProcess; result: Promise<CliResult>; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? tmpdir(), env: cleanEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.end(opts.input ?? '');
  const result = new Promise<CliResult>((res) => child.on('close', (code) => res({ code, stdout, stderr })));
  return { child, result, stdout: () => stdout, stderr: () => stderr };
}

export function ladder(args: string[], opts: RunOptions = {}): Promise<CliResult> {
  return startLadder(args, opts).result;
}

/** Writes a migrations folder: { '1_users.up.sql': 'create table ...', 'sub/V3__x.sql': Buffer }. */
export function migrationsDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-m-'));
  for (const [name, body] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), body);
  }
  return dir;
}

/** Polls until check() is truthy (no fixed sleeps). */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
