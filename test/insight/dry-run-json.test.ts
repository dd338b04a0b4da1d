import { beforeAll, describe, expect, it } from 'vitest';
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

describe('--dry-run --json', () => {
  let url: string;
  let db: string[];
  let dir: string;
  beforeAll(async () => {
    url = await freshDatabase('dry_run_json');
    dir = migrationsDir({
      '1_a.up.sql': 'create table a (id int);',
      '2_index.up.sql': "create index a_id on a(id);\nalter table a add column c int;\ndo $$ begin raise notice 'indexed a'; end $$;",
      '3_broken.up.sql': 'create table b (id int);\n\nselect nope from b;',
      '4_after.up.sql': 'create table d (id int);',
    });
    db = ['-path', dir, '-database', url];
    expect((await ladderIn([...db, 'up', '1'])).code).toBe(0);
  });

  it('one JSON document: each step with its status, notices, schema diff, and the failing file, line and text; nothing changed', async () => {
    const before = await everything(url);
    const r = await ladderIn([...db, 'up', '--dry-run', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ dryRun: true, intent: 'up', format: 'golang-migrate', from: { version: '1', dirty: false }, to: '4', changed: false, wouldFail: true });
    expect(doc.database).not.toContain(new URL(url).password || '\0'); // the password is never printed
    expect(doc.steps.map((s: { label: string; status: string; rehearsedIn: string | null }) => [s.label, s.status, s.rehearsedIn])).toEqual([
      ['2/u index', 'ok', 'transaction'],
      ['3/u broken', 'would-fail', 'transaction'],
      ['4/u after', 'not-rehearsed', null],
    ]);
    const [index, broken, after] = doc.steps;
    expect(index).toMatchObject({ version: '2', name: 'index', direction: 'up', file: `${dir}/2_index.up.sql` });
    expect(typeof index.durationMs).toBe('number');
    expect(index.notices).toEqual([{ severity: 'NOTICE', message: 'indexed a' }]);
    expect(index.changes).toEqual([
      { sign: '+', kind: 'column', name: 'a.c', text: '+ column a.c int' },
      { sign: '+', kind: 'index', name: 'a_id', text: '+ index a_id on a(id)' },
    ]);
    expect(broken.error).toEqual({ message: 'column "nope" does not exist', file: `${dir}/3_broken.up.sql`, line: 3, column: 8, lineText: 'select nope from b;' });
    expect(after).toMatchObject({ reason: 'comes after 3, which would fail', durationMs: null, notices: [], changes: [] });
    expect(await everything(url)).toEqual(before);
  });

  it('a plan with nothing to do is a document too, and exits 0', async () => {
    const r = await ladderIn([...db, 'goto', '1', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ dryRun: true, intent: 'goto 1', noChange: true, wouldFail: false, steps: [] });
  });

  it('a step rehearsed on a scratch copy says so, and why', async () => {
    const conc = migrationsDir({ '1_a.up.sql': 'create table a (id int);', '2_conc.up.sql': 'create index concurrently a_id on a(id);' });
    const other = await freshDatabase('dry_run_json_conc');
    const r = await ladderIn(['-path', conc, '-database', other, 'up', '--dry-run', '--json', ...scratchArgs()]);
    expect(r.code).toBe(0);
    const [a, c] = JSON.parse(r.stdout).steps;
    expect([a.status, a.rehearsedIn, c.status, c.rehearsedIn]).toEqual(['ok', 'transaction', 'ok', 'scratch-copy']);
    expect(c.reason).toMatch(/^rehearsed on a scratch copy \(the --scratch server .*\); not in the transaction because line 1 cannot run inside a transaction/);
    expect(c.changes.map((x: { text: string }) => x.text)).toEqual(['+ index a_id on a(id)']);
    expect(await query(other, "select to_regclass('a') a")).toEqual([{ a: null }]);
  });

  it('--json without --dry-run on up/down/goto is a usage error that runs nothing', async () => {
    const r = await ladderIn([...db, 'up', '--json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--json goes with --dry-run here');
    expect(await query(url, 'select version::text from schema_migrations')).toEqual([{ version: '1' }]);
  });
});
