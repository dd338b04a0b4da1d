import { describe, expect, inject, it } from 'vitest';
import { freshDatabase, query, withClient } from '../helpers/db.js';
import { migrationsDir, waitFor } from '../helpers/cli.js';
import { ladderIn, scratchArgs } from './helpers.js';

const scratchDatabases = () => query<{ n: number }>(inject_admin(), "select count(*)::int n from pg_database where datname like 'ladder_scratch_%'");
const inject_admin = () => inject('adminUrl');

describe('verify', () => {
  it('names the down that leaves an index behind, with the difference; the others pass; a missing down is not checked', async () => {
    const url = await freshDatabase('verify_leftover');
    const dir = migrationsDir({
      '1_t.up.sql': 'create table t (id int);',
      '1_t.down.sql': 'drop table t;',
      '2_index_and_column.up.sql': 'create index t_id on t(id);\nalter table t add column c int;',
      '2_index_and_column.down.sql': 'alter table t drop column c;',
      '3_u.up.sql': 'create table u (id int);',
      '4_bad_down.up.sql': 'create table w (id int);',
      '4_bad_down.down.sql': 'drop table w;\nselect nope;',
    });
    const before = (await scratchDatabases())[0]!.n;
    const r = await ladderIn(['-path', dir, '-database', url, 'verify', ...scratchArgs()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAILED  2 index_and_column: down of 2 leaves:\n          + index t_id on t(id)\n');
    expect(r.stdout).toMatch(/FAILED  4 bad_down: down of 4 fails: column "nope" does not exist at .*4_bad_down\.down\.sql:2\n/);
    expect(r.stdout).toContain('ok      1 t\n');
    expect(r.stdout).toContain('-       3 u: not checked (no down migration)\n');
    expect(r.stdout).toContain('Not checked (no down migration): 3\n');
    expect(r.stderr).toContain('error: 2 down migrations do not restore the schema: 2, 4');
    // The target database was never touched: no tracking table, nothing; the scratch databases are gone.
    expect(await query(url, "select count(*)::int n from pg_class where relname in ('schema_migrations', 't', 'ladder_journal')")).toEqual([{ n: 0 }]);
    // other test files make scratch databases on the same server meanwhile: wait until the count is back
    await waitFor(async () => (await scratchDatabases())[0]!.n <= before, 30_000);

    const json = JSON.parse((await ladderIn(['-path', dir, '-database', url, 'verify', '--json', ...scratchArgs()])).stdout);
    expect(json.ok).toBe(false);
    expect(json.results.map((x: { version: string; status: string }) => `${x.version}:${x.status}`)).toEqual(['1:ok', '2:leaves', '3:not-checked', '4:down-failed']);
    expect(json.results[1].differences).toEqual(['+ index t_id on t(id)']);
    expect(json.results[3]).toMatchObject({ error: 'column "nope" does not exist', line: 2 });
  });
});

describe('drift', () => {
  it('a column added by hand makes drift exit non-zero naming it; without it, no drift', async () => {
    const url = await freshDatabase('drift_hand');
    const dir = migrationsDir({
      '1_t.up.sql': 'create table t (id int primary key, email varchar(255));',
      '1_t.down.sql': 'drop table t;',
      '2_idx.up.sql': 'create index t_email on t(email);',
      '2_idx.down.sql': 'drop index t_email;',
      '3_later.up.sql': 'create table later (id int);',
    });
    expect((await ladderIn(['-path', dir, '-database', url, 'goto', '2'])).code).toBe(0);
    const clean = await ladderIn(['-path', dir, '-database', url, 'drift', ...scratchArgs()]);
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toMatch(/^No drift: the database at version 2 is what its migrations make/);
    expect(clean.code).toBe(0);

    await withClient(url, (c) => c.query('alter table t add column hand_made int; alter table t alter column email type varchar(320); drop index t_email'));
    const r = await ladderIn(['-path', dir, '-database', url, 'drift', ...scratchArgs()]);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(1, -1).sort()).toEqual(
      [
        '  + column t.hand_made int (not made by any migration)',
        '  ~ column t.email varchar(255) → varchar(320) (the migrations make it otherwise)',
        '  - index t_email on t(email) (made by the migrations, missing here)',
      ].sort(),
    );
    expect(r.stderr).toContain('error: 3 differences from what the migrations make');
    const json = JSON.parse((await ladderIn(['-path', dir, '-database', url, 'drift', '--json', ...scratchArgs()])).stdout);
    expect(json.version).toBe('2');
    expect(json.drift).toContainEqual({ sign: '+', kind: 'column', name: 't.hand_made', text: '+ column t.hand_made int' });
  });
});

describe('the sample project in migrations/', () => {
  it('passes verify: every down restores the schema', async () => {
    const url = await freshDatabase('verify_sample');
    const r = await ladderIn(['-path', 'migrations', '-database', url, 'verify', ...scratchArgs()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('ok      '))).toHaveLength(12);
    expect(r.stdout).toContain('Every down migration that exists restores the schema its up started from.');
  });
});
