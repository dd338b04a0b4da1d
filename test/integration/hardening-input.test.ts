import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, query } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';

/** Everything a refused command must leave as it was: the user's tables, the tracking table, the journal. */
async function snapshot(url: string): Promise<unknown> {
  const tables = await query(url, "select table_schema || '.' || table_name t from information_schema.tables where table_schema not in ('pg_catalog', 'information_schema') order by 1");
  const tracking = await query(url, "select to_regclass('public.schema_migrations') is not null as has").then(async ([r]) =>
    r!.has ? query(url, 'select version::text, dirty from public.schema_migrations') : null,
  );
  const journal = await query(url, "select to_regclass('public.ladder_journal') is not null as has").then(async ([r]) =>
    r!.has ? query(url, 'select id, outcome from public.ladder_journal order by id') : null,
  );
  return { tables, tracking, journal };
}

let url: string;
let dir: string;
const port = () => new URL(url).port;
const dbName = () => new URL(url).pathname.slice(1);
const withParam = (key: string, value: string) => {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
};
const roleSuffix = `${process.pid}_${Date.now() % 100000}`;

beforeAll(async () => {
  url = await freshDatabase('harden_input');
  dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);', '1_a.down.sql': 'drop table a;', '2_b.up.sql': 'create table b (id int);', '2_b.down.sql': 'drop table b;' });
});

async function refused(args: string[], code: number, message: RegExp, opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const before = await snapshot(url);
  const r = await ladder(args, opts);
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(await snapshot(url)).toEqual(before);
  return r;
}

describe('a headless command that changes a database needs one (no implicit sandbox)', () => {
  it.each([
    [['up']],
    [['down', '1']],
    [['goto', '1']],
    [['force', '1']],
    [['forget', '1']],
    [['repair']],
    [['drop', '-f']],
    [['recover', '--apply', 'retry', '--yes']],
  ])('%j with no -database, DATABASE_URL or .env exits 2 and starts nothing', async (args) => {
    const cwd = mkdtempSync(join(tmpdir(), 'ladder-nodb-'));
    const r = await ladder(['-path', dir, ...args], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: "${args[0]}" changes a database, and no database was given \\(no -database, no DATABASE_URL, no DATABASE_URL in \\.env\\)\\. Nothing was run\\.\\n`));
    expect(r.stderr).toContain('add -sandbox');
    expect(r.stderr).not.toContain('Using the sandbox');
    expect(existsSync(join(cwd, '.ladder'))).toBe(false); // no sandbox was created
  });

  it('-sandbox and -database together are refused', async () => {
    await refused(['-sandbox', '-database', url, '-path', dir, 'up'], 2, /^error: -sandbox and -database name two different databases/);
  });

  it('--help documents -sandbox', async () => {
    const r = await ladder(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--sandbox\s+use the local sandbox PostgreSQL/);
  });
});

describe('bad values are refused with what, where and what to do, changing nothing', () => {
  it('connect_timeout=abc', async () => {
    await refused(['-path', dir, '-database', withParam('connect_timeout', 'abc'), 'up'], 2, /^error: connect_timeout in the database URL must be whole seconds, got "abc" \(from -database\)\nUse e\.g\. connect_timeout=10/);
  });
  it('-prefetch abc', async () => {
    await refused(['-path', dir, '-database', url, '-prefetch', 'abc', 'up'], 2, /^error: -prefetch takes a whole number of migrations to read ahead, got "abc"/);
  });
  it('up 1 2 says too many arguments, not "unknown command"', async () => {
    const r = await refused(['-path', dir, '-database', url, 'up', '1', '2'], 2, /^error: too many arguments for "up": it takes at most 1 \(N\), got 2 \("1" "2"\)\nUsage: ladder up/);
    expect(r.stderr).not.toContain('unknown command');
  });
  it('a version that does not fit bigint: refused before any file runs (the earlier ones too)', async () => {
    const big = migrationsDir({ '1_a.up.sql': 'create table a (id int);', '9223372036854775808_big.up.sql': 'create table big (id int);' });
    await refused(['-path', big, '-database', url, 'up'], 1, /^error: version 9223372036854775808 \(9223372036854775808_big\.up\.sql\) does not fit the tracking table's bigint column \(at most 9223372036854775807\)\nNothing was run\. Renumber the file/);
  });
  it('force and goto with an overflowing version', async () => {
    await refused(['-path', dir, '-database', url, 'force', '9223372036854775808'], 1, /^error: version 9223372036854775808 does not fit the tracking table's bigint column/);
    await refused(['-path', dir, '-database', url, 'goto', '99999999999999999999'], 1, /^error: version 99999999999999999999 does not fit/);
  });
  it('a URL from .env that does not parse names .env and its line', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'ladder-env-'));
    writeFileSync(join(cwd, '.env'), `# settings\nLADDER_PATH=${dir}\nDATABASE_URL=postgres://app:q8Zk+u/Rt3@localhost:${port()}/${dbName()}\n`);
    const r = await refused(['up'], 2, new RegExp(`^error: The database URL is not a valid URL: postgres://app:xxxxx@localhost:${port()}/${dbName()} \\(from DATABASE_URL in ${cwd.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\.env \\(line 3\\)\\)`), { cwd });
    expect(r.stderr).not.toContain('q8Zk');
    expect(r.stderr).not.toContain('Rt3');
  });
  it('a read-only session (default_transaction_read_only)', async () => {
    await refused(['-path', dir, '-database', withParam('default_transaction_read_only', 'on'), 'up'], 1, /^error: The database session is read-only \(default_transaction_read_only is on for this role or database\): it cannot be migrated\. Nothing was changed\.\nConnect as a role that may write, or allow writes: ALTER ROLE "postgres" SET default_transaction_read_only = off;/);
  });
});

describe('missing privileges name the privilege, the object and the GRANT', () => {
  const role = `h_nocreate_${roleSuffix}`;
  const asRole = () => {
    const u = new URL(url);
    u.username = role;
    u.password = 'pw-nocreate';
    return u.toString();
  };
  beforeAll(async () => {
    await query(url, `create role ${role} login password 'pw-nocreate'`);
    await query(url, `revoke create on schema public from public`);
  });

  it('no CREATE on the schema: up refused before anything is created', async () => {
    await refused(['-path', dir, '-database', asRole(), 'up'], 1, new RegExp(`^error: The role ${role} lacks CREATE on schema public, needed to create "public"\\."schema_migrations"\\. Nothing was changed\\.\\nGrant it: GRANT CREATE ON SCHEMA public TO "${role}";`));
  });

  it('no SELECT on the tracking table: status and up refused with the GRANT', async () => {
    const setup = await ladder(['-path', dir, '-database', url, 'up', '1']);
    expect(setup.code).toBe(0);
    await query(url, `grant create on schema public to ${role}`);
    await refused(['-path', dir, '-database', asRole(), 'status'], 1, new RegExp(`^error: The role ${role} lacks SELECT on the tracking table "public"\\."schema_migrations"\\. Nothing was changed\\.\\nGrant it: GRANT SELECT ON "public"\\."schema_migrations" TO "${role}";`));
    await refused(['-path', dir, '-database', asRole(), 'up'], 1, new RegExp(`^error: The role ${role} lacks SELECT, INSERT, UPDATE, DELETE on the tracking table "public"\\."schema_migrations"\\. Nothing was changed\\.\\nGrant it: GRANT SELECT, INSERT, UPDATE, DELETE ON "public"\\."schema_migrations" TO "${role}";`));
  });
});
