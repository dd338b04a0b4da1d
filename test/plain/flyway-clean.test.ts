import { describe, expect, it } from 'vitest';
import { freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { cliOn, stepLines } from './helpers.js';

const objects = (url: string) =>
  query<{ o: string }>(
    url,
    `SELECT c.relkind::text || ' ' || c.relname AS o FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
     UNION ALL SELECT 'proc ' || proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'
     UNION ALL SELECT 'type ' || typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
     ORDER BY 1`,
  ).then((rows) => rows.map((r) => r.o));

describe('drop in a Flyway project is Flyway clean', () => {
  it('removes every object of the schema (types, functions, sequences, views), so up works again', async () => {
    const url = await freshDatabase('fw_clean');
    const dir = migrationsDir({
      'V1__schema.sql': [
        "CREATE TYPE mood AS ENUM ('ok', 'sad');",
        'CREATE DOMAIN positive AS int CHECK (VALUE > 0);',
        'CREATE SEQUENCE ticket_seq;',
        'CREATE TABLE people (id int PRIMARY KEY, feeling mood, n positive);',
        'CREATE VIEW happy AS SELECT * FROM people WHERE feeling = \'ok\';',
        'CREATE FUNCTION cheer(p people) RETURNS text LANGUAGE sql AS $$ SELECT \'hi\' $$;',
      ].join('\n'),
    });
    const run = cliOn(dir, url);
    expect((await run(['up'])).code).toBe(0);
    const after = await objects(url);
    expect(after).toEqual(expect.arrayContaining(['type mood', 'type positive', 'S ticket_seq', 'r people', 'v happy', 'proc cheer', 'r flyway_schema_history']));

    const drop = await run(['drop', '-f']);
    expect(drop.code).toBe(0);
    expect(await objects(url)).toEqual([]);

    const again = await run(['up']);
    expect(again.code).toBe(0);
    expect(stepLines(again.stdout)).toEqual(['1/u schema']);
    expect(await objects(url)).toEqual(after);
  });
});
