import { describe, expect, it } from 'vitest';
import { catalogSnapshot } from '../../src/db/catalog.js';
import { freshDatabase, query, withClient } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { ladderIn, scratchArgs } from './helpers.js';

/** Everything a dry run could touch: the whole catalog (tracking table and journal included), their rows. */
const everything = async (url: string) => ({
  catalog: await withClient(url, (c) => catalogSnapshot(c, undefined, { excludeTables: [] })),
  tracking: await query(url, 'select * from schema_migrations'),
  journal: await query(url, 'select * from ladder_journal order by id'),
});

describe('--dry-run', () => {
  it('rehearses each step (notices, schema diff, the failing line) and leaves catalog, tracking table and journal identical', async () => {
    const url = await freshDatabase('dry_run');
    const dir = migrationsDir({
      '1_a.up.sql': 'create table a (id int);',
      '1_a.down.sql': 'drop table a;',
      '2_index.up.sql': "create index a_id on a(id);\nalter table a add column c int;\ndo $$ begin raise notice 'indexed a'; end $$;",
      '2_index.down.sql': 'drop index a_id;\nalter table a drop column c;',
      '3_broken.up.sql': 'create table b (id int);\n\nselect nope from b;',
      '4_after.up.sql': 'create table d (id int);',
    });
    const db = ['-path', dir, '-database', url];
    expect((await ladderIn([...db, 'up', '1'])).code).toBe(0);
    const before = await everything(url);

    const r = await ladderIn([...db, 'up', '--dry-run']);
    expect(r.code).toBe(1);
    const out = r.stdout.split('\n');
    expect(out[0]).toBe('Dry run: 3 steps rehearsed in a transaction that was rolled back; nothing was changed.');
    expect(out[1]).toMatch(/^2\/u index \(.+\) would succeed$/);
    expect(out.slice(2, 5)).toEqual(['    NOTICE: indexed a', '    + column a.c int', '    + index a_id on a(id)']);
    expect(out[5]).toMatch(/^3\/u broken \(.+\) WOULD FAIL: column "nope" does not exist at .*3_broken\.up\.sql:3:8$/);
    expect(out[6]).toBe('    3 | select nope from b;');
    expect(out[7]).toBe('4/u after: not rehearsed: comes after 3, which would fail');
    expect(r.stderr).toContain('error: 3/u broken would fail; nothing was changed.');
    expect(await everything(url)).toEqual(before);

    // A down rehearsed the same way; an error without a position is found statement by statement.
    await withClient(url, (c) => c.query('create table hand (id int)'));
    expect((await ladderIn([...db, 'up', '1'])).code).toBe(0);
    const downBefore = await everything(url);
    const down = await ladderIn([...db, 'down', '1', '--dry-run']);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('    - column a.c int\n    - index a_id on a(id)\n');
    expect(await everything(url)).toEqual(downBefore);
  });

  it('a step that cannot run in a transaction, and those after it, run on a scratch copy instead, saying why', async () => {
    const url = await freshDatabase('dry_run_concurrently');
    const dir = migrationsDir({
      '1_a.up.sql': 'create table a (id int);',
      '2_conc.up.sql': '-- big table\ncreate index concurrently a_id on a(id);',
      '3_own_tx.up.sql': 'begin;\ncreate table b (id int);\ncommit;',
    });
    const db = ['-path', dir, '-database', url];
    const r = await ladderIn([...db, 'goto', '3', '--dry-run', ...scratchArgs()]);
    expect(r.code).toBe(0);
    const out = r.stdout.split('\n');
    expect(out[1]).toBe('2 of them could not run in that transaction and ran on a scratch copy instead (dropped afterwards).');
    // 1 in the transaction; 2 (CONCURRENTLY) and 3 after it for real on a scratch copy replayed to the start.
    expect(out[2]).toMatch(/^1\/u a \(.+\) would succeed$/);
    expect(out[4]).toMatch(/^2\/u conc \(.+\) would succeed$/);
    expect(out[5]).toMatch(/^    \(rehearsed on a scratch copy \(the --scratch server .*\); not in the transaction because line 2 cannot run inside a transaction: create index concurrently a_id on a\(id\)\)$/);
    expect(out[6]).toBe('    + index a_id on a(id)');
    expect(out[7]).toMatch(/^3\/u own_tx \(.+\) would succeed$/);
    expect(out[8]).toMatch(/not in the transaction because it comes after 2, which cannot run in a transaction\)$/);
    expect(out[9]).toBe('    + table b');
    expect(await query(url, "select to_regclass('a') a, to_regclass('schema_migrations') t")).toEqual([{ a: null, t: null }]);
    const own = await ladderIn(['-path', migrationsDir({ '1_own.up.sql': 'begin;\ncreate table b (id int);\ncommit;' }), '-database', url, 'up', '--dry-run']);
    // Without --scratch, the copy is made on an embedded PostgreSQL started for the run.
    expect(own.stdout).toMatch(/\n    \(rehearsed on a scratch copy \(an embedded PostgreSQL [\d.]+\); not in the transaction because the file has its own BEGIN \(line 1\), which would end the rehearsal's transaction\)\n    \+ table b\n$/);
    expect(await query(url, "select to_regclass('b') b")).toEqual([{ b: null }]);
  });
});
