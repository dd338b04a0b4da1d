import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { CliResult } from './cli.js';

/**
 * The real golang-migrate CLI for differential tests: GOLANG_MIGRATE_BIN, else the peer build kept beside
 * the repository (../shared/peers/golang-migrate, v4.17.1), else a `migrate` on PATH.
 * `missing` says why the tests that need it are skipped.
 */
export const golangMigrate: { bin: string; missing?: undefined } | { bin?: undefined; missing: string } = find();

function find(): { bin: string } | { missing: string } {
  const candidates = [
    process.env.GOLANG_MIGRATE_BIN,
    resolve(import.meta.dirname, '../../../shared/peers/golang-migrate'),
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'migrate')),
  ].filter((c): c is string => !!c);
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return { bin: c };
    } catch {
      /* next */
    }
  }
  return { missing: 'golang-migrate not found (set GOLANG_MIGRATE_BIN, or put `migrate` on PATH; see README "Tests")' };
}

/** Runs `golang-migrate -path dir -database url ...args`; golang-migrate prints everything on stderr. */
export function runGolangMigrate(dir: string, url: string, args: string[]): Promise<CliResult> {
  if (!golangMigrate.bin) throw new Error(golangMigrate.missing);
  const child = spawn(golangMigrate.bin, ['-path', dir, '-database', url, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((res) => child.on('close', (code) => res({ code, stdout, stderr })));
}

/** `migrate up N` / `migrate down N` as a step count (positive up, negative down), failing loudly. */
export async function golangMigrateBinSteps(url: string, dir: string, n: number): Promise<void> {
  const r = await runGolangMigrate(dir, url, n > 0 ? ['up', String(n)] : ['down', String(-n)]);
  if (r.code !== 0) throw new Error(`golang-migrate ${n > 0 ? 'up' : 'down'} ${Math.abs(n)} exited ${r.code}: ${r.stderr}`);
}

/** What `migrate version` says: "12", "12 (dirty)" or "no migration". */
export async function golangMigrateVersion(dir: string, url: string): Promise<string> {
  const r = await runGolangMigrate(dir, url, ['version']);
  const text = r.stderr.trim();
  if (r.code !== 0) return text.replace(/^error: /, '');
  return text;
}
