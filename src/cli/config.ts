import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { UsageError } from '../errors.js';

export interface GlobalFlags {
  path?: string;
  source?: string;
  database?: string;
  lockTimeout?: string;
  verbose?: boolean;
  journal?: boolean;
}

export interface ResolvedConfig {
  /** undefined: no database given, use the sandbox. */
  databaseUrl?: string;
  databaseFrom: '-database' | 'DATABASE_URL' | '.env' | 'sandbox';
  dir: string;
  lockTimeoutMs: number;
  verbose: boolean;
  /** Record each step in ladder_journal (-no-journal turns it off). */
  journal: boolean;
}

/** flags > environment > .env > defaults. */
export function resolveConfig(flags: GlobalFlags, env: NodeJS.ProcessEnv, cwd: string): ResolvedConfig {
  const dotenv = readDotenv(cwd);
  let databaseUrl: string | undefined;
  let databaseFrom: ResolvedConfig['databaseFrom'] = 'sandbox';
  if (flags.database !== undefined) {
    if (flags.database.trim() === '') throw new UsageError('-database was given an empty URL.', 'Pass postgres://USER:PASSWORD@HOST:PORT/DB, or leave -database out to use DATABASE_URL or the sandbox.');
    databaseUrl = flags.database;
    databaseFrom = '-database';
  } else if (env.DATABASE_URL) {
    databaseUrl = env.DATABASE_URL;
    databaseFrom = 'DATABASE_URL';
  } else if (dotenv.DATABASE_URL) {
    databaseUrl = dotenv.DATABASE_URL;
    databaseFrom = '.env';
  }
  return {
    databaseUrl,
    databaseFrom,
    dir: resolve(cwd, sourceDir(flags) ?? env.LADDER_PATH ?? dotenv.LADDER_PATH ?? 'migrations'),
    lockTimeoutMs: lockTimeout(flags.lockTimeout),
    verbose: Boolean(flags.verbose),
    journal: flags.journal !== false,
  };
}

function sourceDir(flags: GlobalFlags): string | undefined {
  if (flags.source !== undefined) {
    const m = /^file:\/\/(.*)$/.exec(flags.source);
    if (!m)
      throw new UsageError(
        `Unsupported -source "${flags.source}": Ladder reads migrations from a local folder.`,
        'Use -source file://PATH (e.g. file://./migrations) or -path PATH.',
      );
    return m[1] || '.';
  }
  return flags.path;
}

function lockTimeout(raw: string | undefined): number {
  if (raw === undefined) return 15_000; // golang-migrate's default: 15 seconds
  if (!/^\d+$/.test(raw)) throw new UsageError(`-lock-timeout takes whole seconds, got "${raw}".`, 'For example -lock-timeout 30.');
  return Number(raw) * 1000;
}

/** .env in the working directory, parsed by Node's own dotenv parser (util.parseEnv, Node 20.12+). */
function readDotenv(cwd: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(join(cwd, '.env'), 'utf8');
  } catch {
    return {};
  }
  return parseEnv(text) as Record<string, string>;
}
