import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalogSnapshot, diffSnapshots } from '../../src/db/catalog.js';
import { freshDatabase } from '../helpers/db.js';

const BASE = `
  CREATE SCHEMA app;
  CREATE TYPE app.mood AS ENUM ('ok', 'meh');
  CREATE TABLE app.users (
    id serial PRIMARY KEY,
    email text NOT NULL,
    mood app.mood DEFAULT 'ok',
    CONSTRAINT users_email_check CHECK (email <> '')
  );
  CREATE INDEX users_email_idx ON app.users (lower(email));
  CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
  CREATE TRIGGER touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
  CREATE VIEW app.user_emails AS SELECT id, email FROM app.users;
`;

describe('catalogSnapshot / diffSnapshots on a real database', () => {
  let client: pg.Client;

  beforeEach(async () => {
    client = new pg.Client({ connectionString: await freshDatabase('catalog') });
    await client.connect();
    await client.query(BASE);
  });

  afterEach(async () => {
    await client?.end();
  });

  it('is deterministic, sorted and JSON-able', async () => {
    const a = await catalogSnapshot(client);
    const b = await catalogSnapshot(client);
    expect(b).toEqual(a);
    expect(JSON.parse(JSON.stringify(a))).toEqual(a);
    expect(diffSnapshots(a, b)).toEqual([]);

    expect(a.schemas).toEqual(['app', 'public']);
    expect(a.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(['app.users']);
    expect(a.tables[0]!.columns.map((c) => [c.name, c.type, c.notNull])).toEqual([
      ['id', 'integer', true],
      ['email', 'text', true],
      ['mood', 'app.mood', false],
    ]);
    expect(a.tables[0]!.columns[0]!.default).toBe("nextval('app.users_id_seq'::regclass)");
    expect(a.constraints.map((c) => c.name)).toEqual(['users_email_check', 'users_pkey']);
    expect(a.indexes.map((i) => i.name)).toEqual(['users_email_idx', 'users_pkey']);
    expect(a.sequences).toEqual([expect.objectContaining({ name: 'users_id_seq', ownedBy: 'app.users.id' })]);
    expect(a.types).toEqual([{ schema: 'app', name: 'mood', kind: 'enum', details: ['ok', 'meh'] }]);
    expect(a.functions.map((f) => `${f.schema}.${f.name}(${f.args})`)).toEqual(['app.touch()']);
    expect(a.functions[0]!.definition).toContain('RETURN NEW');
    expect(a.triggers.map((t) => t.name)).toEqual(['touch']);
    expect(a.views.map((v) => v.name)).toEqual(['user_emails']);

    expect((await catalogSnapshot(client, ['public'])).tables).toEqual([]);
  });

  it('reports an added table, a dropped index and a changed column type', async () => {
    const before = await catalogSnapshot(client);
    await client.query(`
      CREATE TABLE app.assets (id bigint PRIMARY KEY, name text);
      DROP INDEX app.users_email_idx;
      DROP VIEW app.user_emails;
      ALTER TABLE app.users ALTER COLUMN email TYPE varchar(320);
      CREATE VIEW app.user_emails AS SELECT id, email FROM app.users;
    `);
    const after = await catalogSnapshot(client);
    const diff = diffSnapshots(before, after);
    expect(diff).toContain('+ table app.assets');
    expect(diff).toContain('- index app.users_email_idx on app.users(lower(email))');
    expect(diff).toContain('~ column app.users.email text → varchar(320)');
    expect(diff).toContain('+ index app.assets_pkey (unique) on app.assets(id)');
    expect(diff).toContain('+ constraint assets_pkey on app.assets PRIMARY KEY (id)');
    // The reverse direction mirrors it.
    const back = diffSnapshots(after, before);
    expect(back).toContain('- table app.assets');
    expect(back).toContain('+ index app.users_email_idx on app.users(lower(email))');
    expect(back).toContain('~ column app.users.email varchar(320) → text');
    expect(after).not.toEqual(before);
  });

  it('notices the leftovers a sloppy down migration would leave', async () => {
    const before = await catalogSnapshot(client);
    await client.query(`
      ALTER TABLE app.users ALTER COLUMN mood SET NOT NULL;
      ALTER TABLE app.users ALTER COLUMN mood SET DEFAULT 'meh';
      ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
      CREATE POLICY own ON app.users USING (email = current_user);
      ALTER TYPE app.mood ADD VALUE 'great';
      CREATE TYPE app.leftover AS ENUM ('x');
      CREATE SEQUENCE app.orphan_seq;
      CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$;
      ALTER TABLE app.users DISABLE TRIGGER touch;
      ALTER TABLE app.users DROP CONSTRAINT users_email_check;
      ALTER TABLE app.users ADD CONSTRAINT users_email_check CHECK (email LIKE '%@%');
      CREATE SCHEMA extra;
      COMMENT ON SCHEMA extra IS 'left behind';
    `);
    const diff = diffSnapshots(before, await catalogSnapshot(client));
    expect(diff).toEqual(
      expect.arrayContaining([
        '+ schema extra',
        // A schema is not in a schema: its comment is not shown as extra.extra
        "+ comment on schema extra: 'left behind'",
        '~ column app.users.mood: null → not null',
        "~ column app.users.mood: default 'ok'::app.mood → 'meh'::app.mood",
        '~ table app.users: row level security off → on',
        '+ policy own on app.users',
        '~ type app.mood: enum [ok, meh] → enum [ok, meh, great]',
        '+ type app.leftover enum [x]',
        '+ sequence app.orphan_seq',
        '~ function app.touch(): definition changed',
        '~ trigger touch on app.users: enabled O → D',
        "~ constraint users_email_check on app.users: CHECK (email <> ''::text) → CHECK (email ~~ '%@%'::text)",
      ]),
    );
    expect(diff).toHaveLength(12);
  });

  it("leaves out Ladder's own tracking tables", async () => {
    const before = await catalogSnapshot(client);
    await client.query(`
      CREATE TABLE public.schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL);
      CREATE TABLE app.ladder_journal (id serial PRIMARY KEY, entry jsonb);
      CREATE INDEX ladder_journal_entry_idx ON app.ladder_journal USING gin (entry);
    `);
    expect(await catalogSnapshot(client)).toEqual(before);

    const everything = await catalogSnapshot(client, undefined, { excludeTables: [] });
    expect(diffSnapshots(before, everything)).toEqual(
      expect.arrayContaining([
        '+ table schema_migrations',
        '+ table app.ladder_journal',
        '+ sequence app.ladder_journal_id_seq',
        '+ index app.ladder_journal_entry_idx on app.ladder_journal using gin(entry)',
      ]),
    );
  });
});
