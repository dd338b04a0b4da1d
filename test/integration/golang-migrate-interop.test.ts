import { describe, expect, it as itRun } from 'vitest';

const itSkip = itRun.skip;
import { resolve } from 'node:path';
import { freshDatabase, query } from '../helpers/db.js';
import { ladder } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';
import { golangMigratePeers } from '../helpers/golang-migrate-peers.js';
import { catalogSnapshot } from '../../src/db/catalog.js';
import pg from 'pg';

const SAMPLE = resolve(import.meta.dirname, '../../migrations');
const rows = (url: string) => query(url, 'select version::text, dirty from schema_migrations');

async function schemaOf(url: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await catalogSnapshot(c);
  } finally {
    await c.end();
  }
}

describe.each(golangMigratePeers.map((p) => ({ ...p, why: p.missing ? ` (skipped: ${p.missing})` : '' })))('a team can switch between golang-migrate and Ladder on the same database: $name$why', ({ missing, steps: golangMigrateSteps }) => {
  if (missing) console.warn(`golang-migrate differential tests skipped: ${missing}`);
  const it = missing ? itSkip : itRun;
  it('golang-migrate applies half of the sample project, Ladder reads and finishes it', async () => {
    const url = await freshDatabase('interop_gm_first');
    await golangMigrateSteps(url, SAMPLE, 6);
    expect(await rows(url)).toEqual([{ version: '6', dirty: false }]);
    expect(await query(url, "select to_regclass('trakrf.devices') is not null ok")).toEqual([{ ok: true }]);
    const status = JSON.parse((await ladderLocal(['-path', SAMPLE, '-database', url, 'status', '--json'])).stdout);
    expect(status.version).toBe('6');
    expect(status.migrations.filter((m: { state: string }) => m.state === 'applied')).toHaveLength(6);
    const r = await ladder(['-path', SAMPLE, '-database', url, 'up']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split(' ')[0])).toEqual(['7/u', '8/u', '9/u', '10/u', '11/u', '12/u']);
    expect(await rows(url)).toEqual([{ version: '12', dirty: false }]);

    // Identical outcome to running everything with one tool
    const ladderOnly = await freshDatabase('interop_ladder_only');
    await ladderLocal(['-path', SAMPLE, '-database', ladderOnly, 'up']);
    expect(await rows(ladderOnly)).toEqual(await rows(url));
    expect(await schemaOf(ladderOnly)).toEqual(await schemaOf(url));
  });

  it('Ladder applies half, golang-migrate reads the same row and continues, then rolls back through Ladder\'s work', async () => {
    const url = await freshDatabase('interop_ladder_first');
    expect((await ladderLocal(['-path', SAMPLE, '-database', url, 'up', '5'])).code).toBe(0);
    expect(await rows(url)).toEqual([{ version: '5', dirty: false }]);
    await golangMigrateSteps(url, SAMPLE, 7);
    expect(await rows(url)).toEqual([{ version: '12', dirty: false }]);
    await golangMigrateSteps(url, SAMPLE, -9);
    expect(await rows(url)).toEqual([{ version: '3', dirty: false }]);
    expect((await ladderLocal(['-path', SAMPLE, '-database', url, 'down', '-all'])).code).toBe(0);
    expect(await rows(url)).toEqual([]);
    expect(await query(url, "select count(*)::int n from information_schema.schemata where schema_name = 'trakrf'")).toEqual([{ n: 0 }]);
  });

  it('a dirty state left by golang-migrate is read as dirty, and Ladder\'s force is what golang-migrate expects', async () => {
    const url = await freshDatabase('interop_dirty');
    await golangMigrateSteps(url, SAMPLE, 2);
    await query(url, 'begin; truncate schema_migrations; insert into schema_migrations values (3, true); commit;'); // as a crashed `migrate up`
    const up = await ladder(['-path', SAMPLE, '-database', url, 'up']);
    expect(up.stderr).toContain('Dirty database version 3. Fix and force version.');
    expect((await ladderLocal(['-path', SAMPLE, '-database', url, 'force', '2'])).code).toBe(0);
    expect(await rows(url)).toEqual([{ version: '2', dirty: false }]);
    await golangMigrateSteps(url, SAMPLE, 1);
    expect(await rows(url)).toEqual([{ version: '3', dirty: false }]);
  });
});
