import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { UsageError } from '../errors.js';
import { DEFAULT_DIRS, DIR_VARIABLES, FORMAT_NAMES, type FormatName } from '../formats/names.js';

export interface GlobalFlags {
  format?: FormatName;
  path?: string;
  source?: string;
  database?: string;
  /** -sandbox: use the local sandbox PostgreSQL even for commands that change a database. */
  sandbox?: boolean;
  lockTimeout?: string;
  verbose?: boolean;
  journal?: boolean;
  /** dbmate's --strict. */
  strict?: boolean;
}

export interface ResolvedConfig {
  /** undefined: no database given, use the sandbox. */
  databaseUrl?: string;
  databaseFrom: '-database' | 'DATABASE_URL' | '.env' | 'sandbox';
  /** Where the URL was written, for errors about it: "-database", "the DATABASE_URL environment variable", "/x/.env line 3". */
  databaseSource?: string;
  /** The sandbox was asked for (-sandbox), not just fallen back to. */
  sandboxRequested: boolean;
  dir: string;
  /** -format; undefined: recognised from the folder and the tables. */
  format?: FormatName;
  /** Table names the tools let users configure (DBMATE_MIGRATIONS_TABLE). */
  tables: Partial<Record<FormatName, string>>;
  lockTimeoutMs: number;
  verbose: boolean;
  /** Record each step in ladder_journal (-no-journal turns it off). */
  journal: boolean;
  /** Tool settings: dbmate's --strict / DBMATE_STRICT. */
  settings: { strict?: boolean };
  /** DBMATE_SCHEMA_FILE (environment, then .env): where dump writes. */
  schemaFile?: string;
}

/** flags > environment > .env > defaults. */
export function resolveConfig(flags: GlobalFlags, env: NodeJS.ProcessEnv, cwd: string): ResolvedConfig {
  const { values: dotenv, text: dotenvText } = readDotenv(cwd);
  let databaseUrl: string | undefined;
  let databaseFrom: ResolvedConfig['databaseFrom'] = 'sandbox';
  let databaseSource: string | undefined;
  if (flags.sandbox) {
    // An explicit -sandbox wins over DATABASE_URL and .env (flags > environment).
  } else if (flags.database !== undefined) {
    if (flags.database.trim() === '') throw new UsageError('-database was given an empty URL.', 'Pass postgres://USER@HOST:PORT/DB (the password goes after USER:), or leave -database out to use DATABASE_URL (or -sandbox).');
    databaseUrl = flags.database;
    databaseFrom = '-database';
    databaseSource = '-database';
  } else if (env.DATABASE_URL) {
    databaseUrl = env.DATABASE_URL;
    databaseFrom = 'DATABASE_URL';
    databaseSource = 'the DATABASE_URL environment variable';
  } else if (dotenv.DATABASE_URL) {
    databaseUrl = dotenv.DATABASE_URL;
    databaseFrom = '.env';
    const line = lineOf(dotenvText, 'DATABASE_URL');
    databaseSource = `DATABASE_URL in ${join(cwd, '.env')}${line ? ` (line ${line})` : ''}`;
  }
  return {
    databaseUrl,
    databaseFrom,
    databaseSource,
    sandboxRequested: Boolean(flags.sandbox),
    dir: resolveDir(cwd, flags.format, sourceDir(flags) ?? env.LADDER_PATH ?? dotenv.LADDER_PATH ?? dbmateDir(flags.format, env, dotenv)),
    format: flags.format,
    tables: dbmateTable(env, dotenv),
    lockTimeoutMs: lockTimeout(flags.lockTimeout),
    verbose: Boolean(flags.verbose),
    journal: flags.journal !== false,
    settings: strictSetting(flags, env, dotenv),
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

/** The tool's own folder setting (dbmate's DBMATE_MIGRATIONS_DIR), read as the tool reads it (environment, then .env). */
function dbmateDir(format: FormatName | undefined, env: NodeJS.ProcessEnv, dotenv: Record<string, string>): string | undefined {
  for (const [tool, variable] of Object.entries(DIR_VARIABLES))
    if (format === undefined || format === tool) {
      const dir = env[variable] ?? dotenv[variable];
      if (dir !== undefined) return dir;
    }
  return undefined;
}

function dbmateTable(env: NodeJS.ProcessEnv, dotenv: Record<string, string>): Partial<Record<FormatName, string>> {
  const table = env.DBMATE_MIGRATIONS_TABLE ?? dotenv.DBMATE_MIGRATIONS_TABLE;
  return table ? { dbmate: table } : {};
}

/** --strict, else DBMATE_STRICT (environment, then .env) read as Go's strconv.ParseBool reads it, as dbmate does. */
function strictSetting(flags: GlobalFlags, env: NodeJS.ProcessEnv, dotenv: Record<string, string>): { strict?: boolean } {
  if (flags.strict) return { strict: true };
  const raw = env.DBMATE_STRICT ?? dotenv.DBMATE_STRICT;
  if (raw === undefined || raw === '') return {};
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return { strict: true };
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return { strict: false };
  throw new UsageError(`DBMATE_STRICT="${raw}" is not a boolean.`, 'Set it to true or false (dbmate reads 1, t, true, 0, f, false).');
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
function readDotenv(cwd: string): { values: Record<string, string>; text: string } {
  let text: string;
  try {
    text = readFileSync(join(cwd, '.env'), 'utf8');
  } catch {
    return { values: {}, text: '' };
  }
  return { values: parseEnv(text) as Record<string, string>, text };
}

/** The 1-based line of the last assignment to key (parseEnv keeps the last one), or undefined. */
function lineOf(text: string, key: string): number | undefined {
  const assigns = new RegExp(`^\\s*(?:export\\s+)?${key}\\s*=`);
  let found: number | undefined;
  text.split(/\r?\n/).forEach((l, i) => {
    if (assigns.test(l)) found = i + 1;
  });
  return found;
}
