import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { type CliResult, type RunOptions } from './cli.js';
import { ladderLocal } from './in-process.js';
import { query } from './db.js';

/** The sample project of each tool. */
export const FIXTURES = {
  dbmate: resolve(import.meta.dirname, '../fixtures/dbmate/sample'),
  sqlx: resolve(import.meta.dirname, '../fixtures/sqlx'),
  flyway: resolve(import.meta.dirname, '../fixtures/flyway'),
} as const;

/** A temp copy of a fixture folder (tests edit files in it). */
export function copyFixture(name: keyof typeof FIXTURES): string {
  const dir = mkdtempSync(join(tmpdir(), `ladder-${name}-`));
  cpSync(FIXTURES[name], dir, { recursive: true });
  return dir;
}

/** `ladder -path dir -database url ...args`, in process (runCli as bin/ladder runs it; tests of the process itself spawn it). */
export function ladderOn(dir: string, url: string): (args: string[], opts?: Omit<RunOptions, 'input'>) => Promise<CliResult> {
  return (args, opts) => ladderLocal(['-path', dir, '-database', url, ...args], opts);
}

export interface StatusJson {
  format: string;
  detected: string;
  version: string | null;
  dirty: boolean;
  table: string;
  migrations: { version: string | null; key?: string; name: string; state: string; up: boolean; down: boolean; current: boolean; label?: string; checksum?: { stored: string; local: string }; repeatable?: boolean; problems: string[] }[];
  problems: string[];
}

export async function statusJson(run: ReturnType<typeof ladderOn>, extra: string[] = []): Promise<StatusJson> {
  const r = await run([...extra, 'status', '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

/** version (a repeatable's key) → state, from status --json. */
export const states = (s: StatusJson): Record<string, string> => Object.fromEntries(s.migrations.map((m) => [m.version ?? m.key, m.state]));

/** The step lines Ladder printed, without durations: ["1/u create accounts", ...]. */
export const stepLines = (stdout: string): string[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.replace(/ \([0-9.]+(?:ns|µs|ms|s|m|h)+\)$/, ''));

/** A table's definition as PostgreSQL holds it: columns, constraints and indexes. */
export async function tableDefinition(url: string, schema: string, table: string) {
  const columns = await query(
    url,
    `select column_name, data_type, character_maximum_length, is_nullable, column_default, ordinal_position
       from information_schema.columns where table_schema = $1 and table_name = $2 order by ordinal_position`,
    [schema, table],
  );
  const constraints = await query(
    url,
    `select conname, contype, pg_get_constraintdef(c.oid) def from pg_constraint c
       join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
      where n.nspname = $1 and t.relname = $2 order by conname`,
    [schema, table],
  );
  const indexes = await query(url, 'select indexname, indexdef from pg_indexes where schemaname = $1 and tablename = $2 order by indexname', [schema, table]);
  return { columns, constraints, indexes };
}

/** Tables in public (the user's and the trackers'), sorted. */
export async function publicTables(url: string): Promise<string[]> {
  const rows = await query<{ t: string }>(url, "select table_name t from information_schema.tables where table_schema = 'public' order by 1");
  return rows.map((r) => r.t);
}

/** The session holding a granted advisory lock on a bigint key (pg_locks splits it into classid/objid). */
export async function advisoryHolders(url: string, key: bigint): Promise<{ application_name: string }[]> {
  return query(
    url,
    `select a.application_name from pg_locks l join pg_stat_activity a using (pid)
      where l.locktype = 'advisory' and l.granted and l.objsubid = 1
        and l.database = (select oid from pg_database where datname = current_database())
        and ((l.classid::bigint << 32) | l.objid::bigint) = $1::bigint`,
    [String(key)],
  );
}
