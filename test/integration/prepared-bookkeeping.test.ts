import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, query, trackingRows } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';
import { golangMigrate, golangMigrateVersion } from '../helpers/golang-migrate-bin.js';

// From a run's second step on, the markers and the journal's row around each file are prepared
// statements (engine/prepared-steps.ts). These check what they write, and the files that take them away.
const L = (dir: string, url: string, ...args: string[]) => ladderLocal(['-path', dir, '-database', url, ...args]);
const journal = (url: string) =>
  query(
    url,
    `select version::int v, direction, target_version::int t, from_version::int f, outcome, done_write, file, file_sha256,
            finished_at is not null finished, coalesce(schema_diff ? 'before', false) has_before, coalesce(schema_diff ? 'after', false) has_after
       from ladder_journal order by id`,
  );
const sha = (path: string) => createHash('sha256').update(readFileSync(path, 'utf8'), 'utf8').digest('hex');

function manyMigrations(n: number): string {
  const files: Record<string, string> = {};
  for (let i = 1; i <= n; i++) {
    files[`${i}_t${i}.up.sql`] = `create table t${i} (id int);`;
    files[`${i}_t${i}.down.sql`] = `drop table t${i};`;
  }
  return migrationsDir(files);
}

describe('prepared bookkeeping', { timeout: 90_000 }, () => {
  it('a run over the picture limit writes the rows a step at a time would, up and back down to no row at all', async () => {
    const url = await freshDatabase('prepared_many');
    const dir = manyMigrations(105);
    const r = await L(dir, url, 'up');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(105);
    expect(await trackingRows(url)).toEqual([{ version: '105', dirty: false }]);
    const rows = await journal(url);
    expect(rows).toHaveLength(105);
    rows.forEach((row, i) => {
      const v = i + 1;
      const file = join(dir, `${v}_t${v}.up.sql`);
      expect(row).toEqual({ v, direction: 'up', t: v, f: v === 1 ? -1 : v - 1, outcome: 'ok', done_write: 'with-body', file, file_sha256: sha(file), finished: true, has_before: false, has_after: false });
    });
    expect(await query(url, "select count(*)::int n from pg_tables where tablename ~ '^t[0-9]+$'")).toEqual([{ n: 105 }]);
    // Down to nothing: the last step's clean nil version is no row at all, as golang-migrate leaves it.
    const d = await L(dir, url, 'down', '-all');
    expect(d.code, d.stderr).toBe(0);
    expect(await trackingRows(url)).toEqual([]);
    const downs = (await journal(url)).slice(105);
    expect(downs.map((j) => [j.v, j.t, j.outcome])).toEqual(Array.from({ length: 105 }, (_, i) => [105 - i, 104 - i === 0 ? -1 : 104 - i, 'ok']));
    expect(await query(url, "select count(*)::int n from pg_tables where tablename ~ '^t[0-9]+$'")).toEqual([{ n: 0 }]);
  });

  it.skipIf(!!golangMigrate.missing)(`golang-migrate reads the version such a run leaves${golangMigrate.missing ? ` (skipped: ${golangMigrate.missing})` : ''}`, async () => {
    const url = await freshDatabase('prepared_peer');
    const dir = manyMigrations(105);
    expect((await L(dir, url, 'up', '104')).code).toBe(0);
    expect(await golangMigrateVersion(dir, url)).toBe('104');
  });

  it('a file that runs DEALLOCATE ALL or DISCARD TEMP: that step and the ones after it are recorded all the same', async () => {
    const url = await freshDatabase('prepared_reset');
    const dir = migrationsDir({
      '1_a.up.sql': 'create table a (id int);',
      '2_b.up.sql': 'create table b (id int);',
      // drops every prepared statement of the session, Ladder's own among them
      '3_dealloc.up.sql': 'DEALLOCATE ALL;\ncreate table c (id int);',
      // drops the session's temporary objects: the function the schema pictures come from
      '4_temp.up.sql': 'DISCARD TEMP;\ncreate table d (id int);',
      '5_e.up.sql': 'create table e (id int);',
    });
    const r = await L(dir, url, 'up');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.replace(/ \(.*\)$/, ''))).toEqual(['1/u a', '2/u b', '3/u dealloc', '4/u temp', '5/u e']);
    expect(await trackingRows(url)).toEqual([{ version: '5', dirty: false }]);
    expect(await query(url, "select count(*)::int n from pg_tables where tablename in ('a', 'b', 'c', 'd', 'e')")).toEqual([{ n: 5 }]);
    const rows = await journal(url);
    expect(rows.map((j) => [j.v, j.f, j.outcome, j.finished])).toEqual([
      [1, -1, 'ok', true],
      [2, 1, 'ok', true],
      [3, 2, 'ok', true],
      [4, 3, 'ok', true],
      [5, 4, 'ok', true],
    ]);
    // Pictures before the reset and after DEALLOCATE (the function is still there); none once DISCARD TEMP dropped it.
    expect(rows.map((j) => [j.v, j.has_before, j.has_after])).toEqual([
      [1, true, true],
      [2, true, true],
      [3, false, false],
      [4, false, false],
      [5, false, false],
    ]);
  });
});
