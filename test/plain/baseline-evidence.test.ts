import { describe, expect, it } from 'vitest';
import { freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { cliOn } from './helpers.js';

/** Baseline's evidence goes down to columns, named constraints, index validity and enum labels. */
describe('baseline: column-level evidence', () => {
  const files = {
    '1_users.up.sql': "CREATE TYPE mood AS ENUM ('ok', 'sad');\nCREATE TABLE users (id int PRIMARY KEY, email text CONSTRAINT users_email_key UNIQUE, mood mood);",
    '1_users.down.sql': 'DROP TABLE users; DROP TYPE mood;',
    '2_orders.up.sql': 'CREATE TABLE orders (id int, total numeric);',
    '2_orders.down.sql': 'DROP TABLE orders;',
  };

  it('a table without one of its columns stops the baseline, and the plan lists what exists and what is missing', async () => {
    const url = await freshDatabase('bl_cols');
    const dir = migrationsDir(files);
    await query(url, "CREATE TYPE mood AS ENUM ('ok', 'sad'); CREATE TABLE users (id int PRIMARY KEY, email text CONSTRAINT users_email_key UNIQUE, mood mood); CREATE TABLE orders (id int)");
    const r = await cliOn(dir, url)(['baseline', '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('1/baseline users\n');
    for (const line of ['users: exists', 'users.email: exists', 'users.mood: exists', "mood 'sad': exists", 'users.users_email_key (constraint): exists', 'orders: exists', 'orders.total: missing'])
      expect(r.stderr).toContain(line);
    expect(r.stderr).toContain('Stopping before 2 orders: not all of its effects are in the database.');
    expect(await query(url, 'SELECT version, dirty FROM schema_migrations')).toEqual([{ version: '1', dirty: false }]);
  });

  it('a missing enum label or constraint is missing evidence too; with V it records anyway and warns', async () => {
    const url = await freshDatabase('bl_cols_v');
    const dir = migrationsDir(files);
    await query(url, "CREATE TYPE mood AS ENUM ('ok'); CREATE TABLE users (id int PRIMARY KEY, email text, mood mood)");
    const run = cliOn(dir, url);
    const stopped = await run(['baseline', '--yes']);
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain("mood 'sad': missing");
    expect(stopped.stderr).toContain('users.users_email_key (constraint): missing');
    expect(await query(url, "SELECT to_regclass('schema_migrations') AS t")).toEqual([{ t: null }]); // nothing recorded
    const given = await run(['baseline', '1', '--yes']);
    expect(given.code).toBe(0);
    expect(given.stderr).toContain('warning: the database lacks some effects of 1 (marked missing above)');
    expect(await query(url, 'SELECT version, dirty FROM schema_migrations')).toEqual([{ version: '1', dirty: false }]);
  });

  it('an index left INVALID by an unfinished CREATE INDEX CONCURRENTLY is not evidence', async () => {
    const url = await freshDatabase('bl_invalid');
    const dir = migrationsDir({ '1_t.up.sql': 'CREATE TABLE t (id int);', '2_t_idx.up.sql': 'CREATE INDEX CONCURRENTLY t_id_idx ON t (id);' });
    await query(url, 'CREATE TABLE t (id int); CREATE INDEX t_id_idx ON t (id)');
    await query(url, "UPDATE pg_index SET indisvalid = false WHERE indexrelid = 't_id_idx'::regclass");
    const r = await cliOn(dir, url)(['baseline', '--yes']);
    expect(r.stdout).toBe('1/baseline t\n');
    expect(r.stderr).toContain('t_id_idx: invalid (an unfinished CREATE INDEX CONCURRENTLY)');
  });
});
