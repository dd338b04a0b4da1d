import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { freshDatabase, query, trackingRows } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';

// In process: these tests are about what reaches PostgreSQL, not about the process.
const L = (dir: string, url: string, ...args: string[]) => ladderLocal(['-path', dir, '-database', url, ...args]);
const journal = (url: string) => query(url, 'select version::int v, outcome, done_write, error_line, error_column from ladder_journal order by id');

// The clean marker and the journal's 'ok' are appended to the file's own query; each shape of file that
// changes what appended statements mean is handled on purpose.
describe('what Ladder sends with a file, per shape', { timeout: 60_000 }, () => {
  it('open BEGIN, own COMMIT, a lone CONCURRENTLY, a trailing -- comment: each applied as golang-migrate applies it', async () => {
    const url = await freshDatabase('run_shapes');
    const dir = migrationsDir({
      // ends inside its own transaction: golang-migrate's next write commits it; Ladder's markers join it, then COMMIT
      '1_open.up.sql': 'BEGIN;\ncreate table t1 (id int);',
      // ends with its own COMMIT: the markers form a transaction of their own after it
      '2_closed.up.sql': 'BEGIN;\ncreate table t2 (id int);\nCOMMIT;',
      // implicit statements after the last COMMIT share the markers' transaction
      '3_mixed.up.sql': 'BEGIN;\ncreate table t3 (id int);\nCOMMIT;\ninsert into t3 values (3);',
      // cannot share a query with anything: sent alone
      '4_concurrently.up.sql': 'CREATE INDEX CONCURRENTLY t1_id ON t1 (id)',
      // a trailing -- comment without a newline must not swallow the markers
      '5_comment.up.sql': 'create table t5 (id int); -- the end',
      // only comments: PostgreSQL runs nothing
      '6_comments.up.sql': '-- nothing here\n/* at all */',
    });
    const r = await L(dir, url, 'up');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.replace(/ \(.*\)$/, ''))).toEqual(['1/u open', '2/u closed', '3/u mixed', '4/u concurrently', '5/u comment', '6/u comments']);
    expect(await trackingRows(url)).toEqual([{ version: '6', dirty: false }]);
    expect(await query(url, "select indisvalid from pg_index where indexrelid = 't1_id'::regclass")).toEqual([{ indisvalid: true }]);
    expect(await query(url, 'select id from t3')).toEqual([{ id: 3 }]);
    expect(await query(url, "select count(*)::int n from pg_tables where tablename in ('t1', 't2', 't3', 't5')")).toEqual([{ n: 4 }]);
    // no transaction left open on the way: a later run sees everything committed
    expect((await journal(url)).map((j) => [j.v, j.outcome, j.done_write])).toEqual([
      [1, 'ok', 'with-last-tx'],
      [2, 'ok', 'after-body'],
      [3, 'ok', 'with-last-tx'],
      [4, 'ok', 'after-body'],
      [5, 'ok', 'with-body'],
      [6, 'ok', 'after-body'], // no statement to share a transaction with: sent alone, as golang-migrate sends it
    ]);
  });

  it("a failing last statement: nothing appended runs, and the error's line and column are the file's own", async () => {
    const url = await freshDatabase('run_shapes_fail');
    const dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);', '2_b.up.sql': 'create table b (id int);\nselect nope from b;' });
    const r = await L(dir, url, 'up');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('migration failed: column "nope" does not exist (column 8) in line 2: create table b (id int);\nselect nope from b; (details: pq: column "nope" does not exist)');
    expect(r.stderr).toContain(`Failed: 2/u b at ${join(dir, '2_b.up.sql')}:2:8`);
    expect(await trackingRows(url)).toEqual([{ version: '2', dirty: true }]);
    expect(await query(url, "select to_regclass('b') t")).toEqual([{ t: null }]);
    expect((await journal(url)).map((j) => [j.v, j.outcome, j.error_line, j.error_column])).toEqual([
      [1, 'ok', null, null],
      [2, 'failed', 2, 8],
    ]);
  });

  it('a file the server cannot parse still leaves (V, dirty) and its journal row, as golang-migrate leaves it', async () => {
    const url = await freshDatabase('run_shapes_syntax');
    const dir = migrationsDir({ '1_bad.up.sql': 'create table ok_so_far (id int);\ncreat table x (id int);' });
    const r = await L(dir, url, 'up');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/syntax error at or near "creat" \(column 1\) in line 2/);
    expect(await trackingRows(url)).toEqual([{ version: '1', dirty: true }]);
    expect((await journal(url)).map((j) => [j.v, j.outcome, j.error_line])).toEqual([[1, 'failed', 2]]);
  });
});
