import { describe, expect, it } from 'vitest';
import { freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { openProject, type Project } from '../../src/engine/project.js';
import { parseDatabaseUrl } from '../../src/db/url.js';
import type { FormatName } from '../../src/formats/names.js';
import type { Intent } from '../../src/engine/plan.js';

/**
 * The same battery for every format module, against the real PostgreSQL, in-process (one database per
 * module): read the folder, apply, roll back, the tool's force, lock exclusion, journal rows, and the
 * recovery guide on a step that committed part of its work before failing. A new module is one entry
 * in MODULES: three migrations in its own file names (1 and 2 reversible, 3 half-committing).
 */
interface ModuleCase {
  format: FormatName;
  /** Versions of the three migrations as the tool keys them. */
  versions: [string, string, string];
  files: Record<string, string>;
  /** The file lines (as in the file) of the statements of migration 3, with the fate the guide must give each. */
  half: string[];
}

const HALF_SQL = 'CREATE INDEX CONCURRENTLY c_id ON t1 (id);\nCREATE INDEX CONCURRENTLY c_bad ON t1 (nope);\n';

const MODULES: ModuleCase[] = [
  {
    format: 'golang-migrate',
    versions: ['1', '2', '3'],
    files: {
      '1_t1.up.sql': 'CREATE TABLE t1 (id int);',
      '1_t1.down.sql': 'DROP TABLE t1;',
      '2_t2.up.sql': 'CREATE TABLE t2 (id int);',
      '2_t2.down.sql': 'DROP TABLE t2;',
      '3_half.up.sql': 'BEGIN;\nCREATE TABLE t3 (id int);\nCOMMIT;\nCREATE TABLE t4 (id nope_type);\n',
    },
    half: ['1 kept', '2 kept', '3 kept', '4 failed'],
  },
  {
    format: 'dbmate',
    versions: ['20240101000000', '20240102000000', '20240103000000'],
    files: {
      '20240101000000_t1.sql': '-- migrate:up\nCREATE TABLE t1 (id int);\n-- migrate:down\nDROP TABLE t1;\n',
      '20240102000000_t2.sql': '-- migrate:up\nCREATE TABLE t2 (id int);\n-- migrate:down\nDROP TABLE t2;\n',
      '20240103000000_half.sql': '-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE t3 (id int);\nCOMMIT;\nCREATE TABLE t4 (id nope_type);\n-- migrate:down\nDROP TABLE IF EXISTS t3;\n',
    },
    half: ['2 kept', '3 kept', '4 kept', '5 failed'],
  },
  {
    format: 'sqlx',
    versions: ['1', '2', '3'],
    files: {
      '1_t1.up.sql': 'CREATE TABLE t1 (id int);\n',
      '1_t1.down.sql': 'DROP TABLE t1;\n',
      '2_t2.up.sql': 'CREATE TABLE t2 (id int);\n',
      '2_t2.down.sql': 'DROP TABLE t2;\n',
      '3_half.up.sql': '-- no-transaction\nCREATE TABLE t3 (id int);\nCOMMIT;\nCREATE TABLE t4 (id nope_type);\n',
      '3_half.down.sql': 'DROP TABLE IF EXISTS t3;\n',
    },
    half: ['2 kept', '3 kept', '4 failed'],
  },
  {
    format: 'flyway',
    versions: ['1', '2', '3'],
    files: {
      'V1__t1.sql': 'CREATE TABLE t1 (id int);\n',
      'U1__t1.sql': 'DROP TABLE t1;\n',
      'V2__t2.sql': 'CREATE TABLE t2 (id int);\n',
      'U2__t2.sql': 'DROP TABLE t2;\n',
      'V3__half.sql': HALF_SQL,
    },
    half: ['1 kept', '2 failed'],
  },
  {
    format: 'plain',
    versions: ['1', '2', '3'],
    files: {
      '001_t1.sql': 'CREATE TABLE t1 (id int);\n',
      '001_rollback.sql': 'DROP TABLE t1;\n',
      '002_t2.sql': 'CREATE TABLE t2 (id int);\n',
      '002_rollback.sql': 'DROP TABLE t2;\n',
      '003_half.sql': 'BEGIN;\nCREATE TABLE t3 (id int);\nCOMMIT;\nCREATE TABLE t4 (id nope_type);\n',
    },
    half: ['1 kept', '2 kept', '3 kept', '4 failed'],
  },
];

async function run(p: Project, intent: Intent) {
  await p.ensureTable(); // as every migrating command does before it plans
  const state = await p.readState();
  const planned = p.plan(state, intent);
  if (!planned.ok) throw new Error(`refused: ${JSON.stringify(planned.refusal)}`);
  return p.run(planned.plan, { journal: true });
}

const tables = async (url: string) => (await query<{ t: string }>(url, "select tablename t from pg_tables where schemaname = 'public' and tablename ~ '^t[0-9]$' order by 1")).map((r) => r.t);
const journal = async (url: string) => (await query<{ s: string }>(url, "select direction || ' ' || version::text || ' ' || outcome s from ladder_journal order by id")).map((r) => r.s);

describe.each(MODULES)('format module contract: $format', (m) => {
  it('reads, applies, rolls back, forces, excludes a second migrator, journals every step, and explains a half-committed step', async () => {
    const url = await freshDatabase(`contract_${m.format.replace('-', '_')}`);
    const dir = migrationsDir(m.files);
    const p = await openProject(dir, parseDatabaseUrl(url), { format: m.format });
    const other = await openProject(dir, parseDatabaseUrl(url), { format: m.format });
    try {
      const [v1, v2, v3] = m.versions;
      // read the folder
      expect(p.format).toBe(m.format);
      expect(p.listing.migrations.map((x) => x.version)).toEqual(m.versions);

      // lock exclusion: while one holds the tool's lock, another session cannot take it
      expect(await p.session.lock(p.tracking.lockId, 1000)).toBe(true);
      expect(await other.session.lock(other.tracking.lockId, 50)).toBe(false);

      // apply two, roll back one
      expect((await run(p, { kind: 'up', limit: 2 })).status).toBe('ok');
      expect(await tables(url)).toEqual(['t1', 't2']);
      expect((await run(p, { kind: 'down', limit: 1 })).status).toBe('ok');
      expect(await tables(url)).toEqual(['t1']);
      expect((await p.readState()).version).toBe(v1);

      // the tool's force: records v2 as applied, runs nothing
      expect((await run(p, { kind: 'force', version: v2 })).status).toBe('ok');
      expect((await p.readState()).version).toBe(v2);
      expect(await tables(url)).toEqual(['t1']);

      // a step that commits part of its work and then fails
      const failed = await run(p, { kind: 'up' });
      expect(failed.status).toBe('failed');
      const rows = await journal(url);
      expect(rows.slice(0, 3)).toEqual([`up ${v1} ok`, `up ${v2} ok`, `down ${v2} ok`]);
      expect(rows[3]).toMatch(new RegExp(`^force ${v2} ok$`));
      expect(rows[4]).toBe(`up ${v3} failed`);
      expect(rows).toHaveLength(5);

      // refuse on dirty, where the tool keeps a dirty flag
      const state = await p.readState();
      if (state.dirty) expect(p.plan(state, { kind: 'up' }).ok).toBe(false);

      // the recovery guide, statement by statement, lines as in the file
      const c = await p.diagnose(state, await p.journal!.list(p.session.client, 20));
      expect(c).not.toBeNull();
      const k = c!.candidates[0]!;
      expect(k.candidate).toMatchObject({ direction: 'up', version: v3 });
      expect(k.statements.map((s) => `${s.startLine} ${s.fate}`)).toEqual(m.half);
      expect(k.committed).toBe('part');
      // never a recommended way out that runs the committed part again
      const retry = k.options.find((o) => o.id === 'retry');
      expect(retry?.recommended).toBe(false);
      expect(retry?.confirm).toBeDefined();
    } finally {
      await p.session.unlock();
      await other.close();
      await p.close();
    }
  });
});
