import { describe, expect, it } from 'vitest';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { freshDatabase, query, userTables } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { freePort } from '../../src/db/embedded.js';

const SECRET = 'S3cr3t-Pa55';
const ok = { '1_a.up.sql': 'create table a (id int);', '1_a.down.sql': 'drop table a;' };

/** Same server as the tests use, with another user/password/database. */
function variant(url: string, change: { password?: string; database?: string; port?: number; host?: string }): string {
  const u = new URL(url);
  if (change.password !== undefined) u.password = change.password;
  if (change.database !== undefined) u.pathname = `/${change.database}`;
  if (change.port !== undefined) u.port = String(change.port);
  if (change.host !== undefined) u.hostname = change.host;
  return u.toString();
}

function expectHelpful(r: { code: number | null; stdout: string; stderr: string }, what: RegExp, todo: RegExp) {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(what);
  expect(r.stderr).toMatch(todo);
  expect(r.stderr + r.stdout).not.toContain(SECRET);
}

describe('connection errors: what happened, where, what to do; never the password', () => {
  const admin = inject('adminUrl');
  const dir = migrationsDir(ok);

  it('unreachable host (nothing listening on the port)', async () => {
    const port = await freePort();
    const r = await ladder(['-path', dir, '-database', variant(admin, { port, password: SECRET }), 'up']);
    expectHelpful(r, new RegExp(`Could not connect to PostgreSQL at 127.0.0.1:${port}: connection refused`), /Is the server running/);
    expect(r.stderr).toContain(':xxxxx@');
  });

  it('unknown host name', async () => {
    const r = await ladder(['-path', dir, '-database', variant(admin, { host: 'no-such-host.invalid', password: SECRET }), 'status']);
    expectHelpful(r, /host "no-such-host.invalid" was not found/, /Check the host name/);
  });

  it('wrong password', async () => {
    const url = await freshDatabase('err_pw');
    const r = await ladder(['-path', dir, '-database', variant(url, { password: SECRET }), 'up']);
    expectHelpful(r, /Password authentication failed for user "postgres"/, /Check the user name and password/);
    expect(await userTables(url)).toEqual([]);
  });

  it('database that does not exist', async () => {
    const r = await ladder(['-path', dir, '-database', variant(admin, { database: 'nope_not_here', password: SECRET }), 'up']);
    expect(r.stderr).toMatch(/Password authentication failed|does not exist/); // wrong password is checked first by the server
    const r2 = await ladder(['-path', dir, '-database', variant(admin, { database: 'nope_not_here' }), 'up']);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/The database "nope_not_here" does not exist on 127\.0\.0\.1:\d+/);
    expect(r2.stderr).toMatch(/createdb/);
    expect(r2.stderr).toContain(':xxxxx@');
  });

  it('malformed URL is a usage error (exit 2)', async () => {
    const r = await ladder(['-path', dir, '-database', `postgres://u:${SECRET}@[bad/db`, 'up']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a valid URL/);
    expect(r.stderr).not.toContain(SECRET);
    const scheme = await ladder(['-path', dir, '-database', `mysql://u:${SECRET}@h/db`, 'up']);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toMatch(/must start with postgres:\/\//);
    expect(scheme.stderr).not.toContain(SECRET);
  });
});

describe('folder errors change nothing', () => {
  it('missing folder', async () => {
    const url = await freshDatabase('err_folder');
    const r = await ladder(['-path', '/no/such/migrations', '-database', url, 'up']);
    expectHelpful(r, /migrations folder \/no\/such\/migrations does not exist/, /-path DIR/);
    expect(await userTables(url)).toEqual([]);
  });

  it('unreadable file (a broken symlink) is reported before anything runs', async () => {
    const url = await freshDatabase('err_unreadable');
    const dir = migrationsDir(ok);
    symlinkSync('/nonexistent/target.sql', join(dir, '2_b.up.sql'));
    const r = await ladder(['-path', dir, '-database', url, 'up']);
    expectHelpful(r, new RegExp(`Cannot read migration file ${join(dir, '2_b.up.sql')}`), /Nothing was run/);
    expect(await userTables(url)).toEqual([]); // checked before the tracking table is created: nothing changes
  });

  it('duplicate versions', async () => {
    const url = await freshDatabase('err_dup');
    const dir = migrationsDir({ ...ok, '1_again.up.sql': 'create table again (id int);' });
    const r = await ladder(['-path', dir, '-database', url, 'up']);
    expectHelpful(r, /duplicate migration file: 1_a.up.sql, 1_again.up.sql/, /Renumber or delete one/);
    expect(await userTables(url)).toEqual([]); // a refusal writes nothing, not even the tracking table
    const status = await ladder(['-path', dir, '-database', url, 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/! duplicate up files: 1_a.up.sql, 1_again.up.sql/);
  });

  it('a version in the database with no file', async () => {
    const url = await freshDatabase('err_nofile');
    const dir = migrationsDir(ok);
    await query(url, 'create table schema_migrations (version bigint not null primary key, dirty boolean not null); insert into schema_migrations values (7, false)');
    const r = await ladder(['-path', dir, '-database', url, 'up']);
    expectHelpful(r, /no migration found for version 7: the database is at version 7, but the folder has no file for it/, /right folder/);
    expect(await query(url, 'select version::int, dirty from schema_migrations')).toEqual([{ version: 7, dirty: false }]);
    const status = await ladder(['-path', dir, '-database', url, 'status']);
    expect(status.stdout).toMatch(/\?!?\s+7\s+missing\s+\(file missing\)\s+<- current/);
  });
});

describe('status flags problems in the folder', () => {
  it('gaps and missing down files', async () => {
    const url = await freshDatabase('err_status');
    const dir = migrationsDir({ ...ok, '2_b.up.sql': 'select 1;', '5_e.up.sql': 'select 1;', '5_e.down.sql': 'select 1;', 'README.md': '# notes' });
    const r = await ladder(['-path', dir, '-database', url, 'status', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ format: 'golang-migrate', version: null, dirty: false });
    expect(json.migrations).toEqual([
      { version: '1', name: 'a', state: 'pending', up: true, down: true, current: false, problems: [] },
      { version: '2', name: 'b', state: 'pending', up: true, down: false, current: false, problems: ['no down file (stepping down through it runs nothing)'] },
      { version: '5', name: 'e', state: 'pending', up: true, down: true, current: false, problems: ['gap: versions 3-4 are missing'] },
    ]);
  });
});

describe('usage errors exit 2', () => {
  it('unknown command and bad arguments', async () => {
    const r = await ladder(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
    expect((await ladder(['up', 'x'])).code).toBe(2);
    expect((await ladder(['force', '-5'])).code).toBe(2);
  });
  it('--help and --version', async () => {
    const help = await ladder(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: ladder/);
    expect(help.stdout).toMatch(/goto/);
    expect((await ladder(['-version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
