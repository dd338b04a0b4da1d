import { describe, expect, it } from 'vitest';
import { freshDatabase, query, withClient } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { ladderIn } from './helpers.js';
import { touchedNames } from '../../src/db/touched.js';

describe('per-step schema diff', () => {
  it('diff V prints what V\'s last run changed, stored with its journal row', async () => {
    const url = await freshDatabase('step_diff');
    const dir = migrationsDir({
      '1_t.up.sql': 'create table t (id int, email varchar(255));',
      '2_index_and_column.up.sql': 'create index t_id on t(id);\nalter table t add column c int;',
      '3_wider_email.up.sql': 'alter table t alter column email type varchar(320);',
      '4_legacy.up.sql': 'create table legacy (id int);',
      '4_legacy.down.sql': 'drop table legacy;',
      '5_by_plpgsql.up.sql': "do $$ begin execute 'create table made_in_do (id int)'; end $$;",
    });
    const db = ['-path', dir, '-database', url];
    expect((await ladderIn([...db, 'up'])).code).toBe(0);
    // A DO block hides its statements from the parser: the whole schema is compared.
    expect((await ladderIn([...db, 'diff', '5'])).stdout).toMatch(/^up 5 by_plpgsql .*:\n  \+ table made_in_do\n$/);
    expect((await ladderIn([...db, 'down', '2'])).code).toBe(0);

    const two = await ladderIn([...db, 'diff', '2']);
    expect(two.code).toBe(0);
    expect(two.stdout.split('\n').slice(1, -1)).toEqual(['  + column t.c int', '  + index t_id on t(id)']);
    expect((await ladderIn([...db, 'diff', '3'])).stdout).toContain('  ~ column t.email varchar(255) → varchar(320)\n');
    // The last run of 4 is its down.
    expect((await ladderIn([...db, 'diff', '4'])).stdout).toMatch(/^down 4 legacy \(journal #\d+, .*, ok\):\n  - table legacy\n$/);
    // 5 has no down file: its down ran nothing, so there is no picture.
    const five = await ladderIn([...db, 'diff', '5']);
    expect(five.code).toBe(1);
    expect(five.stderr).toMatch(/^error: no schema diff for down 5 .*: this run was recorded without a schema picture/);
    const json = JSON.parse((await ladderIn([...db, 'diff', '2', '--json'])).stdout);
    expect(json).toMatchObject({ version: '2', direction: 'up', outcome: 'ok' });
    expect(json.changes).toEqual([
      { sign: '+', kind: 'column', name: 't.c', text: '+ column t.c int' },
      { sign: '+', kind: 'index', name: 't_id', text: '+ index t_id on t(id)' },
    ]);
  });

  it('an old journal without schema_diff gets the column; its old rows say they have no picture', async () => {
    const url = await freshDatabase('step_diff_old');
    const dir = migrationsDir({ '1_t.up.sql': 'create table t (id int);', '2_u.up.sql': 'create table u (id int);' });
    const db = ['-path', dir, '-database', url];
    expect((await ladderIn([...db, 'up', '1'])).code).toBe(0);
    await withClient(url, (c) => c.query('alter table ladder_journal drop column schema_diff'));
    const old = await ladderIn([...db, 'diff', '1']);
    expect(old.code).toBe(1);
    expect(old.stderr).toBe('error: The journal has no run of 1 on this database.\nOnly steps Ladder ran (without -no-journal) are recorded; "ladder history" lists them.\n');
    expect((await ladderIn([...db, 'up'])).code).toBe(0);
    const after = await ladderIn([...db, 'diff', '1']);
    expect(after.stderr).toMatch(/^error: no schema diff for up 1 t .*: this run was recorded without a schema picture/);
    expect((await ladderIn([...db, 'diff', '2'])).stdout).toContain('+ table u');
    expect(await query(url, 'select count(*)::int n from ladder_journal')).toEqual([{ n: 2 }]);
  });

  it('touchedNames: what the parser sees, or null when it cannot see everything', async () => {
    expect(await touchedNames('create index t_id on app.t(id); alter table t rename to t2;')).toEqual(['app', 't', 't2', 't_id']);
    expect(await touchedNames("do $$ begin perform 1; end $$;")).toBeNull();
    expect(await touchedNames('select create_hypertable(1);')).toBeNull();
    expect(await touchedNames('create view v as select lower(x) from t;')).toEqual(expect.arrayContaining(['v', 't']));
    expect(await touchedNames('not sql at all')).toBeNull();
  });
});
