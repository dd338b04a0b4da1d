import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSnapshot, diffSnapshots, type CatalogSnapshot } from '../../src/db/catalog.js';
import { freshDatabase } from '../helpers/db.js';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

interface Migration {
  version: number;
  name: string;
  up: string;
  down: string;
}

async function loadMigrations(): Promise<Migration[]> {
  const files = await readdir(MIGRATIONS_DIR);
  const byVersion = new Map<number, { name: string; up?: string; down?: string }>();
  for (const file of files) {
    const m = /^(\d+)_(.+)\.(up|down)\.sql$/.exec(file);
    if (!m) throw new Error(`unexpected file in migrations/: ${file}`);
    const version = Number(m[1]);
    const entry = byVersion.get(version) ?? { name: m[2]! };
    expect(entry.name, `version ${version} has one name`).toBe(m[2]);
    entry[m[3] as 'up' | 'down'] = await readFile(join(MIGRATIONS_DIR, file), 'utf8');
    byVersion.set(version, entry);
  }
  return [...byVersion.entries()]
    .sort(([a], [b]) => a - b)
    .map(([version, e]) => {
      if (e.up === undefined || e.down === undefined) throw new Error(`version ${version} lacks an up or a down file`);
      return { version, name: e.name, up: e.up, down: e.down };
    });
}

const TENANT_TABLES = ['account_users', 'antennas', 'assets', 'devices', 'events', 'locations', 'messages', 'tags'];
const ALL_TABLES = ['accounts', 'users', ...TENANT_TABLES].sort();
const SAMPLE_SLUGS = ['acme-logistics', 'globex-medical'];

/** Row count and content hash of every table in trakrf (empty when the schema does not exist). */
async function dataFingerprint(client: pg.Client): Promise<Record<string, string>> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) AS name
       FROM pg_tables WHERE schemaname = 'trakrf' ORDER BY 1`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await client.query<{ n: string; h: string | null }>(
      `SELECT count(*) AS n, md5(string_agg(t::text, E'\\n' ORDER BY t::text)) AS h FROM ${name} t`,
    );
    out[name] = `${rows[0]!.n}:${rows[0]!.h ?? ''}`;
  }
  return out;
}

describe('sample migrations (migrations/)', () => {
  let url: string;
  let client: pg.Client;
  let migrations: Migration[];
  let empty: CatalogSnapshot;
  const notices: { migration: string; message: string }[] = [];
  let running = '(none)';

  beforeAll(async () => {
    migrations = await loadMigrations();
    url = await freshDatabase('sample_migrations');
    client = new pg.Client({ connectionString: url });
    await client.connect();
    client.on('notice', (n) => notices.push({ migration: running, message: n.message ?? '' }));
    empty = await catalogSnapshot(client);
  });

  afterAll(async () => {
    await client?.end();
  });

  /** Sends a whole file as one simple-protocol query, as golang-migrate does. */
  async function apply(label: string, sql: string): Promise<void> {
    running = label;
    try {
      await client.query(sql);
    } finally {
      running = '(none)';
    }
  }

  it('has 12 numbered up/down pairs in the expected order', () => {
    expect(migrations.map((m) => `${String(m.version).padStart(6, '0')}_${m.name}`)).toEqual([
      '000001_prereqs',
      '000002_accounts',
      '000003_users',
      '000004_account_users',
      '000005_locations',
      '000006_devices',
      '000007_antennas',
      '000008_assets',
      '000009_tags',
      '000010_events',
      '000011_messages',
      '000012_sample_data',
    ]);
  });

  it('uses no psql meta-commands, explicit transactions or search_path', () => {
    for (const m of migrations) {
      for (const [dir, text] of [['up', m.up], ['down', m.down]] as const) {
        const where = `${m.version}_${m.name}.${dir}.sql`;
        expect(text, where).not.toMatch(/^\s*\\/m);
        expect(text, where).not.toMatch(/^\s*(BEGIN|START\s+TRANSACTION|COMMIT|ROLLBACK)\s*(WORK|TRANSACTION)?\s*;/im);
        expect(text, where).not.toMatch(/\bSET\s+(LOCAL\s+)?search_path|set_config\('search_path'/i);
      }
    }
  });

  it('every down restores exactly the schema (and data) from before its up', async () => {
    // A row that 000012's down must leave alone: it belongs to neither sample account.
    const bystander = async () => {
      await client.query(
        `INSERT INTO trakrf.accounts (slug, name) VALUES ('bystander', 'Bystander Ltd');
         INSERT INTO trakrf.users (email, display_name) VALUES ('dora@bystander.example', 'Dora');
         INSERT INTO trakrf.assets (account_id, identifier, name)
           SELECT id, 'BY-1', 'Not a sample' FROM trakrf.accounts WHERE slug = 'bystander';`,
      );
    };

    for (const m of migrations) {
      const label = `${m.version}_${m.name}`;
      if (m.name === 'sample_data') await bystander();

      const before = await catalogSnapshot(client);
      const dataBefore = await dataFingerprint(client);

      await apply(`${label}.up`, m.up);
      const afterUp = await catalogSnapshot(client);
      if (m.name === 'sample_data') {
        expect(diffSnapshots(before, afterUp), `${label} changes no schema`).toEqual([]);
        expect(await dataFingerprint(client), `${label} inserts rows`).not.toEqual(dataBefore);
      } else {
        expect(diffSnapshots(before, afterUp).length, `${label} changes the schema`).toBeGreaterThan(0);
      }

      await apply(`${label}.down`, m.down);
      const afterDown = await catalogSnapshot(client);
      expect(diffSnapshots(before, afterDown), `${label}: down leaves differences`).toEqual([]);
      expect(afterDown, `${label}: down restores the catalog`).toEqual(before);
      expect(await dataFingerprint(client), `${label}: down restores the data`).toEqual(dataBefore);

      // Up again must work after a down (nothing left behind that collides), then continue.
      await apply(`${label}.up`, m.up);
      expect(await catalogSnapshot(client), `${label}: re-applied up`).toEqual(afterUp);
    }

    // The bystander survived the sample-data round trip; remove it so counts below are exact.
    const [survivor] = (
      await client.query(`SELECT a.identifier FROM trakrf.assets a JOIN trakrf.accounts ac ON ac.id = a.account_id
                           WHERE ac.slug = 'bystander'`)
    ).rows;
    expect(survivor).toEqual({ identifier: 'BY-1' });
    await client.query(
      `DELETE FROM trakrf.assets WHERE identifier = 'BY-1';
       DELETE FROM trakrf.accounts WHERE slug = 'bystander';
       DELETE FROM trakrf.users WHERE email = 'dora@bystander.example';`,
    );
  });

  it('creates the trakrf tables, with row-level security on every tenant table', async () => {
    const { rows } = await client.query<{ tablename: string; rowsecurity: boolean }>(
      `SELECT tablename, rowsecurity FROM pg_tables WHERE schemaname = 'trakrf' ORDER BY tablename`,
    );
    expect(rows.map((r) => r.tablename)).toEqual(ALL_TABLES);
    const rls = rows.filter((r) => r.rowsecurity).map((r) => r.tablename);
    expect(rls).toEqual([...TENANT_TABLES, 'accounts'].sort());

    const { rows: policies } = await client.query<{ tablename: string; qual: string }>(
      `SELECT tablename, qual FROM pg_policies WHERE schemaname = 'trakrf' ORDER BY tablename`,
    );
    expect(policies.map((p) => p.tablename)).toEqual([...TENANT_TABLES, 'accounts'].sort());
    for (const p of policies) expect(p.qual).toContain("current_setting('app.current_account_id'::text, true)");

    const { rows: triggers } = await client.query<{ table: string }>(
      `SELECT c.relname AS table FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE t.tgname = 'set_updated_at' AND NOT t.tgisinternal ORDER BY 1`,
    );
    // events is append-only and has no updated_at.
    expect(triggers.map((t) => t.table)).toEqual(ALL_TABLES.filter((t) => t !== 'events'));
  });

  it('seeds the sample rows', async () => {
    const count = async (table: string) =>
      Number(
        (
          await client.query<{ n: string }>(
            `SELECT count(*) AS n FROM trakrf.${table} x JOIN trakrf.accounts a ON a.id = x.account_id
              WHERE a.slug = ANY($1)`,
            [SAMPLE_SLUGS],
          )
        ).rows[0]!.n,
      );
    expect({
      accounts: Number((await client.query('SELECT count(*) AS n FROM trakrf.accounts')).rows[0].n),
      users: Number((await client.query('SELECT count(*) AS n FROM trakrf.users')).rows[0].n),
      account_users: await count('account_users'),
      locations: await count('locations'),
      devices: await count('devices'),
      antennas: await count('antennas'),
      assets: await count('assets'),
      tags: await count('tags'),
      events: await count('events'),
      messages: await count('messages'),
    }).toEqual({
      accounts: 2,
      users: 3,
      account_users: 4,
      locations: 5,
      devices: 2,
      antennas: 3,
      assets: 5,
      tags: 6,
      events: 6,
      messages: 2,
    });

    // The hierarchy and the view are wired up.
    const { rows: zones } = await client.query(
      `SELECT c.identifier AS child, p.identifier AS parent FROM trakrf.locations c
         JOIN trakrf.locations p ON p.id = c.parent_id ORDER BY 1`,
    );
    expect(zones).toEqual([
      { child: 'HQ-STORE', parent: 'HQ' },
      { child: 'WH1-A01', parent: 'WH1' },
      { child: 'WH1-DOCK', parent: 'WH1' },
    ]);
    const { rows: lastSeen } = await client.query(
      `SELECT v.epc, l.identifier AS location FROM trakrf.tag_last_seen v
         JOIN trakrf.locations l ON l.id = v.location_id ORDER BY v.epc`,
    );
    expect(lastSeen).toEqual([
      { epc: '3034257BF400B7800004CB2F', location: 'HQ-STORE' },
      { epc: '3034257BF400B7800004CB30', location: 'HQ-STORE' },
      { epc: 'E28011606000020A0000F001', location: 'WH1-A01' },
      { epc: 'E28011606000020A0000F002', location: 'WH1-A01' },
      { epc: 'E28011606000020A0000F003', location: 'WH1-DOCK' },
    ]);
  });

  it('refuses to migrate sample data down while a sample account holds other rows', async () => {
    const sample = migrations.find((m) => m.name === 'sample_data')!;
    const before = await dataFingerprint(client);
    // An extra read of a seeded tag: deleting the tags would cascade to it.
    await client.query(
      `INSERT INTO trakrf.events (account_id, tag_id, seen_at)
       SELECT account_id, id, '2025-01-01T00:00:00Z' FROM trakrf.tags WHERE epc = 'E28011606000020A0000F0FF'`,
    );
    const withExtra = await dataFingerprint(client);
    await expect(apply('12_sample_data.down (blocked)', sample.down)).rejects.toThrow(
      /hold rows not created by 000012_sample_data/,
    );
    // The file ran as one implicit transaction: nothing was deleted.
    expect(await dataFingerprint(client)).toEqual(withExtra);
    await client.query(`DELETE FROM trakrf.events WHERE seen_at = '2025-01-01T00:00:00Z'`);
    expect(await dataFingerprint(client)).toEqual(before);
  });

  it('permutes ids: scrambled, distinct and self-inverse', async () => {
    const { rows } = await client.query<{ id: string; p: string; back: string }>(
      `SELECT g::text AS id, trakrf.permute_id(g)::text AS p, trakrf.permute_id(trakrf.permute_id(g))::text AS back
         FROM generate_series(0::bigint, 999) g`,
    );
    expect(rows.every((r) => r.back === r.id)).toBe(true);
    expect(new Set(rows.map((r) => r.p)).size).toBe(1000);
    expect(rows.filter((r) => r.p === r.id).length).toBeLessThan(3);
    const { rows: ids } = await client.query<{ id: string }>(`SELECT id::text FROM trakrf.accounts`);
    for (const { id } of ids) expect(BigInt(id)).toBeGreaterThan(1000n);
    await expect(client.query('SELECT trakrf.permute_id(-1)')).rejects.toThrow(/outside/);
  });

  it('row-level security shows a tenant role only its own account', async () => {
    const role = `ladder_tenant_${process.pid}`;
    await client.query('BEGIN');
    try {
      // Roles are transactional: everything here disappears with the ROLLBACK.
      await client.query(`CREATE ROLE ${role} NOLOGIN NOSUPERUSER NOBYPASSRLS`);
      await client.query(`GRANT USAGE ON SCHEMA trakrf TO ${role}`);
      await client.query(`GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA trakrf TO ${role}`);
      await client.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA trakrf TO ${role}`);
      const { rows: accts } = await client.query<{ id: string; slug: string }>(
        `SELECT id::text, slug FROM trakrf.accounts ORDER BY slug`,
      );
      const acme = accts.find((a) => a.slug === 'acme-logistics')!.id;
      const globex = accts.find((a) => a.slug === 'globex-medical')!.id;

      // Superuser (the migration owner) sees everything.
      expect((await client.query('SELECT count(*)::int AS n FROM trakrf.assets')).rows[0].n).toBe(5);

      await client.query(`SET LOCAL ROLE ${role}`);
      // No tenant chosen: nothing is visible, and no error from the unset setting.
      expect((await client.query('SELECT count(*)::int AS n FROM trakrf.assets')).rows[0].n).toBe(0);

      await client.query(`SELECT set_config('app.current_account_id', $1, true)`, [acme]);
      const { rows: acmeAssets } = await client.query<{ account_id: string; identifier: string }>(
        'SELECT account_id::text, identifier FROM trakrf.assets ORDER BY identifier',
      );
      expect(acmeAssets.map((a) => a.identifier)).toEqual(['CT-0042', 'FL-07', 'PJ-12']);
      expect(new Set(acmeAssets.map((a) => a.account_id))).toEqual(new Set([acme]));
      expect((await client.query('SELECT slug FROM trakrf.accounts')).rows).toEqual([{ slug: 'acme-logistics' }]);
      expect((await client.query('SELECT count(*)::int AS n FROM trakrf.tag_last_seen')).rows[0].n).toBe(3);

      await client.query(`SELECT set_config('app.current_account_id', $1, true)`, [globex]);
      const { rows: globexAssets } = await client.query('SELECT identifier FROM trakrf.assets ORDER BY identifier');
      expect(globexAssets.map((a) => a.identifier)).toEqual(['IP-301', 'WC-18']);

      // Writing into another tenant is refused by the policy's implicit WITH CHECK.
      await expect(
        client.query(`INSERT INTO trakrf.assets (account_id, identifier, name) VALUES ($1, 'X-1', 'Sneaky')`, [acme]),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await client.query('ROLLBACK');
    }
    expect((await client.query(`SELECT count(*)::int AS n FROM pg_roles WHERE rolname = $1`, [role])).rows[0].n).toBe(0);
  });

  it('raises notices during the ups so a live log has something to show', () => {
    const ups = new Set(notices.filter((n) => n.migration.endsWith('.up')).map((n) => n.migration));
    expect(ups.size).toBeGreaterThanOrEqual(4);
    expect(ups).toContain('12_sample_data.up');
    const seeded = notices.filter((n) => n.migration === '12_sample_data.up').map((n) => n.message);
    expect(seeded).toContain('seeded 5 assets, 6 tags, 6 events');
    expect(seeded).toContain('seeded 2 accounts, 5 locations, 2 devices');
  });

  it('all downs in reverse order bring back the empty database', async () => {
    for (const m of [...migrations].reverse()) await apply(`${m.version}_${m.name}.down`, m.down);
    const final = await catalogSnapshot(client);
    expect(diffSnapshots(empty, final)).toEqual([]);
    expect(final).toEqual(empty);
    expect(final.schemas).not.toContain('trakrf');
  });
});
