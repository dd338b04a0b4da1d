import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import pg from 'pg';
import { freshDatabase, query, trackingRows } from '../helpers/db.js';
import { ladder, startLadder, waitFor } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';
import { golangMigrate, golangMigrateVersion, runGolangMigrate } from '../helpers/golang-migrate-bin.js';

/** Differential tests that only make sense against the real golang-migrate v4.17.1 program. */

const SAMPLE = resolve(import.meta.dirname, '../../migrations');
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** The sample project plus extra files, in a folder of its own. */
function project(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-gmbin-'));
  made.push(dir);
  cpSync(SAMPLE, dir, { recursive: true });
  for (const [name, body] of Object.entries(extra)) writeFileSync(join(dir, name), body);
  return dir;
}

/** What `ladder version` says, in golang-migrate's words ("12", "12 (dirty)", "no migration"). */
async function ladderVersion(dir: string, url: string): Promise<string> {
  const r = await ladder(['-path', dir, '-database', url, 'version']);
  if (r.code === 0) return r.stdout.trim();
  return r.stderr.split('\n')[0]!.replace(/^error: /, '');
}

const why = golangMigrate.missing ? ` (skipped: ${golangMigrate.missing})` : '';
if (golangMigrate.missing) console.warn(`golang-migrate differential tests skipped: ${golangMigrate.missing}`);

describe.skipIf(!!golangMigrate.missing)(`the real golang-migrate CLI and Ladder on the same database${why}`, () => {
  it("a failed up left by golang-migrate is read as dirty and recovered by Ladder; golang-migrate continues after it", async () => {
    const url = await freshDatabase('gmbin_failed_up');
    const dir = project({
      '000013_gadgets.up.sql': 'create table public.gadgets (id int);\nselect no_such_column;\n',
      '000013_gadgets.down.sql': 'drop table public.gadgets;\n',
    });
    const up = await runGolangMigrate(dir, url, ['up']);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('migration failed: column "no_such_column" does not exist');
    expect(await trackingRows(url)).toEqual([{ version: '13', dirty: true }]);

    const status = JSON.parse((await ladderLocal(['-path', dir, '-database', url, 'status', '--json'])).stdout);
    expect(status).toMatchObject({ version: '13', dirty: true });
    const refused = await ladder(['-path', dir, '-database', url, 'up']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Dirty database version 13. Fix and force version.');

    writeFileSync(join(dir, '000013_gadgets.up.sql'), 'create table public.gadgets (id int);\n');
    const fixed = await ladderLocal(['-path', dir, '-database', url, 'recover', '--apply', 'retry', '--yes']);
    expect(fixed.code).toBe(0);
    expect(await trackingRows(url)).toEqual([{ version: '13', dirty: false }]);
    expect(await query(url, "select to_regclass('public.gadgets')::text t")).toEqual([{ t: 'gadgets' }]);
    expect(await golangMigrateVersion(dir, url)).toBe('13');
    const down = await runGolangMigrate(dir, url, ['down', '1']);
    expect(down.code).toBe(0);
    expect(await query(url, "select to_regclass('public.gadgets') t")).toEqual([{ t: null }]);
  });

  it('a failed down left by golang-migrate (the previous version, dirty) is read and recovered by Ladder', async () => {
    const url = await freshDatabase('gmbin_failed_down');
    const dir = project({
      '000013_gadgets.up.sql': 'create table public.gadgets (id int);\n',
      '000013_gadgets.down.sql': 'drop table public.no_such_table;\n',
    });
    expect((await runGolangMigrate(dir, url, ['up'])).code).toBe(0);
    const down = await runGolangMigrate(dir, url, ['down', '1']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('table "no_such_table" does not exist');
    // golang-migrate records the target of a down (the previous version) as dirty
    expect(await trackingRows(url)).toEqual([{ version: '12', dirty: true }]);
    expect(await ladderVersion(dir, url)).toBe('12 (dirty)');

    writeFileSync(join(dir, '000013_gadgets.down.sql'), 'drop table public.gadgets;\n');
    const fixed = await ladderLocal(['-path', dir, '-database', url, 'recover', '--apply', 'retry', '--step', 'down', '--yes']);
    expect(fixed.code).toBe(0);
    expect(await trackingRows(url)).toEqual([{ version: '12', dirty: false }]);
    expect(await query(url, "select to_regclass('public.gadgets') t")).toEqual([{ t: null }]);
    expect(await golangMigrateVersion(dir, url)).toBe('12');
    expect((await runGolangMigrate(dir, url, ['up'])).code).toBe(0);
    expect(await trackingRows(url)).toEqual([{ version: '13', dirty: false }]);
  });

  // Migration 13 waits on this advisory lock, which the test holds until it has seen what it waits for: no step
  // has to outlast a process start by wall-clock time (a pg_sleep window was too short on a loaded machine).
  const GATE = 4242;
  async function closedGate(url: string): Promise<{ open: () => Promise<void> }> {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query('select pg_advisory_lock($1)', [GATE]);
    return { open: () => c.end() };
  }
  const waitingForAdvisoryLock = (url: string) => async () =>
    (await query(url, "select 1 from pg_locks where locktype = 'advisory' and not granted and objid <> $1 and database = (select oid from pg_database where datname = current_database())", [GATE])).length > 0;

  it('golang-migrate waits while Ladder holds the migration lock, then continues from where Ladder left off', async () => {
    const url = await freshDatabase('gmbin_lock_ladder');
    const dir = project({ '000013_slow.up.sql': `select pg_advisory_xact_lock(${GATE}) /* gmbin_slow */;\n` });
    expect((await ladderLocal(['-path', dir, '-database', url, 'up', '12'])).code).toBe(0);
    const gate = await closedGate(url);
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await waitFor(async () => (await query(url, "select 1 from pg_stat_activity where query like '%gmbin_slow */%' and pid <> pg_backend_pid()")).length > 0);
    const gm = runGolangMigrate(dir, url, ['up']);
    await waitFor(waitingForAdvisoryLock(url));
    await gate.open();
    expect((await run.result).code).toBe(0);
    const r = await gm;
    expect(r.code).toBe(0);
    expect(r.stderr.trim()).toBe('no change');
    expect(await trackingRows(url)).toEqual([{ version: '13', dirty: false }]);
  });

  it('Ladder waits while golang-migrate holds the lock, gives up after -lock-timeout and changes nothing', async () => {
    const url = await freshDatabase('gmbin_lock_gm');
    const dir = project({ '000013_slow.up.sql': `select pg_advisory_xact_lock(${GATE}) /* gmbin_gm_slow */;\n`, '000014_after.up.sql': 'create table public.after_slow (id int);\n' });
    expect((await runGolangMigrate(dir, url, ['up', '12'])).code).toBe(0);
    const gate = await closedGate(url);
    const gm = runGolangMigrate(dir, url, ['up', '1']);
    await waitFor(async () => (await query(url, "select 1 from pg_stat_activity where query like '%gmbin_gm_slow */%' and pid <> pg_backend_pid()")).length > 0);
    const r = await ladder(['-path', dir, '-database', url, '-lock-timeout', '1', 'up']);
    await gate.open();
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("timeout: can't acquire database lock");
    expect((await gm).code).toBe(0);
    expect(await trackingRows(url)).toEqual([{ version: '13', dirty: false }]);
    expect(await query(url, "select to_regclass('public.after_slow') t")).toEqual([{ t: null }]);
  });

  it('golang-migrate version agrees with ladder version after every Ladder command', async () => {
    const url = await freshDatabase('gmbin_versions');
    const dir = project();
    // A sequence that keeps the schema consistent with the recorded version, so every step can run.
    const steps: string[][] = [['up', '3'], ['up'], ['down', '2'], ['goto', '5'], ['force', '5'], ['goto', '2'], ['down', '2'], ['force', '-1'], ['up', '4'], ['force', '--', '-1'], ['force', '4'], ['drop', '-f']];
    const seen: [string, string, string][] = [];
    for (const args of steps) {
      const r = await ladderLocal(['-path', dir, '-database', url, ...args]);
      expect(r.code, `ladder ${args.join(' ')}: ${r.stderr}`).toBe(0);
      const [l, g] = await Promise.all([ladderVersion(dir, url), golangMigrateVersion(dir, url)]);
      seen.push([args.join(' '), l, g]);
    }
    expect(seen.map(([cmd, l]) => [cmd, l])).toEqual([
      ['up 3', '3'], ['up', '12'], ['down 2', '10'], ['goto 5', '5'], ['force 5', '5'], ['goto 2', '2'], ['down 2', 'no migration'],
      ['force -1', 'no migration'], ['up 4', '4'], ['force -- -1', 'no migration'], ['force 4', '4'], ['drop -f', 'no migration'],
    ]);
    for (const [cmd, l, g] of seen) expect(g, `after ladder ${cmd}`).toBe(l);
  }, 120_000); // 24 processes (the two versions) and 12 commands in process, one after another
});
