import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { UsageError } from '../errors.js';
import { DEFAULT_DIRS, FORMAT_NAMES, type FormatName } from '../formats/names.js';

export interface GlobalFlags {
  format?: FormatName;
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
  /** -format; undefined: recognised from the folder and the tables. */
  format?: FormatName;
  /** Table names the tools let users configure (DBMATE_MIGRATIONS_TABLE). */
  tables: Partial<Record<FormatName, string>>;
  lockTimeoutMs: number;
  verbose: boolean;
  /** Record each step in ladder_journal (-no-journal turns it off). */
  journal: boolean;
  /** DBMATE_SCHEMA_FILE (environment, then .env): where dump writes. */
  schemaFile?: string;
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
    dir: resolveDir(cwd, flags.format, sourceDir(flags) ?? env.LADDER_PATH ?? dotenv.LADDER_PATH ?? dbmateDir(flags.format, env, dotenv)),
    format: flags.format,
    tables: dbmateTable(env, dotenv),
    lockTimeoutMs: lockTimeout(flags.lockTimeout),
    verbose: Boolean(flags.verbose),
    journal: flags.journal !== false,
    schemaFile: env.DBMATE_SCHEMA_FILE ?? dotenv.DBMATE_SCHEMA_FILE,
  };
}

/** With no folder given: the tool's default folder, or the first of the tools' defaults that exists. */
function resolveDir(cwd: string, format: FormatName | undefined, given: string | undefined): string {
  if (given !== undefined) return resolve(cwd, given);
  if (format) return resolve(cwd, DEFAULT_DIRS[format]);
  const candidates = [...new Set(FORMAT_NAMES.map((f) => DEFAULT_DIRS[f]))];
  const found = candidates.find((d) => existsSync(join(cwd, d)));
  return resolve(cwd, found ?? 'migrations');
}

/** dbmate's own settings, read like dbmate reads them (environment, then .env). */
function dbmateDir(format: FormatName | undefined, env: NodeJS.ProcessEnv, dotenv: Record<string, string>): string | undefined {
  if (format !== undefined && format !== 'dbmate') return undefined;
  return env.DBMATE_MIGRATIONS_DIR ?? dotenv.DBMATE_MIGRATIONS_DIR;
}

function dbmateTable(env: NodeJS.ProcessEnv, dotenv: Record<string, string>): Partial<Record<FormatName, string>> {
  const table = env.DBMATE_MIGRATIONS_TABLE ?? dotenv.DBMATE_MIGRATIONS_TABLE;
  return table ? { dbmate: table } : {};
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
