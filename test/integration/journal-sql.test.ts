import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { freshDatabase } from '../helpers/db.js';
import { Journal } from '../../src/engine/journal.js';

// The journal's per-step writes find the row this session inserted by its primary key, whatever the
// journal's length: a step's cost must not grow with the history of the database.
describe("the journal's step writes", () => {
  let c: pg.Client;
  const journal = new Journal('public');
  const step = { version: '7', name: 'seven', direction: 'up' as const, targetVersion: '7', body: 'select 1;' };

  beforeAll(async () => {
    c = new pg.Client({ connectionString: await freshDatabase('journal_sql') });
    await c.connect();
    await journal.ensureTable(c);
    // A long history, as a database that has seen many runs has.
    await c.query(`INSERT INTO ladder_journal (version, name, direction, target_version, outcome, ladder_version)
                   SELECT i, 'old', 'up', i, 'ok', 'x' FROM generate_series(1, 5000) i`);
    await c.query('ANALYZE ladder_journal');
  });
  afterAll(() => c.end());

  const plan = async (sql: string) => {
    const res = await c.query(`EXPLAIN (FORMAT JSON) ${sql.replace(/;$/, '')}`);
    return JSON.stringify(res.rows[0]['QUERY PLAN']);
  };

  it('finish marks exactly the row this session inserted, looked up by the primary key', async () => {
    await c.query(journal.startSql(step));
    expect(await plan(journal.finishSql())).toContain('"Index Name":"ladder_journal_pkey"');
    expect(await plan(journal.finishSql())).not.toContain('Seq Scan');
    const res = await c.query(journal.finishSql());
    expect(res.rowCount).toBe(1);
    const rows = await c.query(`SELECT version::text, outcome, finished_at IS NOT NULL AS finished FROM ladder_journal WHERE name = 'seven'`);
    expect(rows.rows).toEqual([{ version: '7', outcome: 'ok', finished: true }]);
    expect((await c.query(`SELECT count(*)::int n FROM ladder_journal WHERE outcome <> 'ok'`)).rows[0].n).toBe(0);
  });

  it('discard removes only this session\'s row while it is still running, by the primary key', async () => {
    await c.query(journal.startSql({ ...step, version: '8', name: 'eight' }));
    expect(await plan(journal.discardSql())).not.toContain('Seq Scan');
    expect((await c.query(journal.discardSql())).rowCount).toBe(1);
    expect((await c.query(`SELECT count(*)::int n FROM ladder_journal WHERE name = 'eight'`)).rows[0].n).toBe(0);
    // A row already settled is not discarded.
    await c.query(journal.startSql({ ...step, version: '9', name: 'nine' }));
    await c.query(journal.finishSql());
    expect((await c.query(journal.discardSql())).rowCount).toBe(0);
    expect((await c.query(`SELECT count(*)::int n FROM ladder_journal`)).rows[0].n).toBe(5002);
  });
});
