import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, query, trackingRows, userTables } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';

// The binary where a test is about what a shell sees (exit codes, golang-migrate's wording); in process for
// setup and for what a command did to the database.

describe('a failing up', () => {
  it('reports the line and column in the file, leaves (V, dirty), and rolls back a file without explicit transactions', async () => {
    const url = await freshDatabase('dirty_up');
    const dir = migrationsDir({
      '1_ok.up.sql': 'create table ok (id int);',
      '1_ok.down.sql': 'drop table ok;',
      '2_bad.up.sql': '-- adds two tables\r\ncreate table half (id int);\r\ncreate tabel other (id int);\r\n',
      '2_bad.down.sql': 'drop table half; drop table other;',
    });
    const r = await ladder(['-path', dir, '-database', url, 'up']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^1\/u ok \(/);
    // golang-migrate's wording, line counted after CRLF normalisation
    expect(r.stderr).toContain('error: migration failed: syntax error at or near "tabel" (column 8) in line 3: -- adds two tables');
    expect(r.stderr).toContain('(details: pq: syntax error at or near "tabel")');
    expect(r.stderr).toContain(`${join(dir, '2_bad.up.sql')}:3:8`);
    expect(r.stderr).toContain('ladder force 1');
    expect(await trackingRows(url)).toEqual([{ version: '2', dirty: true }]);
    expect(await userTables(url)).toEqual(['ok', 'schema_migrations']); // "half" was rolled back with the rest of the file
  });

  it('then every command but force/version/status refuses, saying how to recover', async () => {
    const url = await freshDatabase('dirty_refuse');
    const dir = migrationsDir({ '1_bad.up.sql': 'select 1/0;', '1_bad.down.sql': 'select 1;' });
    await ladderLocal(['-path', dir, '-database', url, 'up']);
    for (const args of [['up'], ['down', '1'], ['down', '-all'], ['goto', '1'], ['up', '1']]) {
      const r = await ladder(['-path', dir, '-database', url, ...args]);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toContain('error: Dirty database version 1. Fix and force version.');
      expect(r.stderr).toContain('ladder force');
    }
    expect(await ladder(['-path', dir, '-database', url, 'version'])).toMatchObject({ code: 0, stdout: '1 (dirty)\n' });
    const status = await ladder(['-path', dir, '-database', url, 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/✗\s+1\s+dirty\s+bad/);
    expect(status.stdout).toContain('"ladder recover" explains what happened');
    // the failed run released its session-level advisory lock
    expect(await query(url, "select count(*)::int n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())")).toEqual([{ n: 0 }]);
    expect(JSON.parse((await ladderLocal(['-path', dir, '-database', url, 'status', '--json'])).stdout)).toMatchObject({
      version: '1',
      dirty: true,
      migrations: [{ version: '1', state: 'dirty' }],
    });
    // recover: force back, fix the file, run again
    expect((await ladderLocal(['-path', dir, '-database', url, 'force', '-1'])).code).toBe(0);
    writeFileSync(join(dir, '1_bad.up.sql'), 'select 1/1;');
    expect((await ladderLocal(['-path', dir, '-database', url, 'up'])).code).toBe(0);
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: false }]);
  });

  it('with explicit BEGIN/COMMIT, the committed part stays and the session recovers from the aborted transaction', async () => {
    const url = await freshDatabase('dirty_tx');
    const dir = migrationsDir({
      '1_split.up.sql': 'BEGIN;\ncreate table kept (id int);\nCOMMIT;\nBEGIN;\ncreate table lost (id int);\nselect missing_column from kept;\nCOMMIT;\n',
    });
    const r = await ladder(['-path', dir, '-database', url, 'up']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/column "missing_column" does not exist \(column 8\) in line 6/);
    expect(await userTables(url)).toEqual(['kept', 'schema_migrations']);
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: true }]);
  });

  it('CREATE INDEX CONCURRENTLY works when it is the whole file (one simple query, no wrapping transaction)', async () => {
    const url = await freshDatabase('dirty_cic');
    const dir = migrationsDir({
      '1_t.up.sql': 'create table t (id int);',
      '2_idx.up.sql': 'create index concurrently t_id on t (id);',
    });
    expect((await ladderLocal(['-path', dir, '-database', url, 'up'])).code).toBe(0);
    expect(await query(url, "select indexname from pg_indexes where tablename = 't'")).toEqual([{ indexname: 't_id' }]);
  });
});

describe('a failing down', () => {
  it('leaves the previous version dirty, as golang-migrate does', async () => {
    const url = await freshDatabase('dirty_down');
    const dir = migrationsDir({
      '1_a.up.sql': 'create table a (id int);',
      '1_a.down.sql': 'drop table a;',
      '5_b.up.sql': 'create table b (id int);',
      '5_b.down.sql': 'drop table b;\ndrop table does_not_exist;',
    });
    expect((await ladderLocal(['-path', dir, '-database', url, 'up'])).code).toBe(0);
    const r = await ladder(['-path', dir, '-database', url, 'down', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('table "does_not_exist" does not exist');
    expect(r.stderr).toContain('in line 0: drop table b;'); // no position from the server: golang-migrate's "line 0"
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: true }]);
    expect(await userTables(url)).toEqual(['a', 'b', 'schema_migrations']); // the drop of b was rolled back too
    // "nothing was kept": force back to 5 (where we were) then fix and retry
    expect(r.stderr).toContain('ladder force 5');
  });
});

describe('cancel and lost connections (reported truthfully)', () => {
  it('a statement killed by pg_terminate_backend fails the step and leaves it dirty', async () => {
    const url = await freshDatabase('dirty_kill');
    const dir = migrationsDir({ '1_slow.up.sql': 'select pg_sleep(30);' });
    const run = ladder(['-path', dir, '-database', url, 'up']);
    const started = Date.now();
    let killed = false;
    while (!killed && Date.now() - started < 10_000) {
      const rows = await query(url, "select pg_terminate_backend(pid) ok from pg_stat_activity where query like '%select pg_sleep(30)%' and query not like '%pg_terminate_backend%' and wait_event = 'PgSleep' and pid <> pg_backend_pid()");
      killed = rows.length > 0;
      if (!killed) await new Promise((r) => setTimeout(r, 30));
    }
    const r = await run;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/connection to PostgreSQL was lost|terminat/i);
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: true }]);
  });
});
