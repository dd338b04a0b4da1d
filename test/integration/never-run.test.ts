import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, query, trackingRows, userTables } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';
import { golangMigrate, runGolangMigrate } from '../helpers/golang-migrate-bin.js';

const L = (dir: string, url: string, ...args: string[]) => ladder(['-path', dir, '-database', url, ...args]);
/** The same command in process, where the test is about what it did to the database (refusals keep the binary's exit code). */
const inProcess = (dir: string, url: string, ...args: string[]) => ladderLocal(['-path', dir, '-database', url, ...args]);

describe('up --never-run V: a migration merged late below the current version, run out of order', { timeout: 120_000 }, () => {
  it('runs only that file, keeps the tracking table at the current version, journals it, and golang-migrate still sees the same version', async () => {
    const url = await freshDatabase('never_run');
    const dir = migrationsDir({ '1_a.up.sql': 'CREATE TABLE a (id int);', '1_a.down.sql': 'DROP TABLE a;', '3_c.up.sql': 'CREATE TABLE c (id int);', '3_c.down.sql': 'DROP TABLE c;' });
    expect((await inProcess(dir, url, 'up')).code).toBe(0);
    writeFileSync(join(dir, '2_b.up.sql'), 'CREATE TABLE b (id int);');
    writeFileSync(join(dir, '2_b.down.sql'), 'DROP TABLE b;');

    // Refused, changing nothing: the current version, one that ran, one not in the folder, with N.
    for (const [args, message] of [
      [['up', '--never-run', '3'], /3 is not below the current version \(3\)/],
      [['up', '--never-run', '1'], /1 is not a never-run migration \(it is applied\)/],
      [['up', '--never-run', '7'], /7/],
      [['up', '2', '--never-run', '2'], /give it no N/],
    ] as const) {
      const r = await L(dir, url, ...args);
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.stderr).toMatch(message);
    }
    expect(await userTables(url)).not.toContain('b');
    expect(await trackingRows(url)).toEqual([{ version: '3', dirty: false }]);

    const r = await inProcess(dir, url, 'up', '--never-run', '2');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/^2\/u b \(/m);
    expect(await userTables(url)).toContain('b');
    expect(await trackingRows(url)).toEqual([{ version: '3', dirty: false }]);
    const journal = await query<{ version: string; direction: string; target_version: string; from_version: string; outcome: string }>(
      url,
      'SELECT version::text, direction, target_version::text, from_version::text, outcome FROM ladder_journal ORDER BY id',
    );
    expect(journal.at(-1)).toEqual({ version: '2', direction: 'up', target_version: '3', from_version: '3', outcome: 'ok' });
    // Now it ran: status no longer calls it never-run, and a second out-of-order run is refused.
    const status = JSON.parse((await inProcess(dir, url, 'status', '--json')).stdout);
    expect(status.migrations.map((m: { version: string; state: string }) => [m.version, m.state])).toEqual([['1', 'applied'], ['2', 'applied'], ['3', 'applied']]);
    expect((await L(dir, url, 'up', '--never-run', '2')).code).not.toBe(0);
    expect(await query(url, 'SELECT count(*)::int AS n FROM ladder_journal WHERE version = 2')).toEqual([{ n: 1 }]);

    if (golangMigrate.bin) {
      const v = await runGolangMigrate(dir, url, ['version']);
      expect(v.stderr.trim()).toBe('3');
    }
  });

  it('a tool that keeps a row per migration has no out-of-order run of its own', async () => {
    const url = await freshDatabase('never_run_rows');
    const dir = migrationsDir({ '20240101000000_a.sql': '-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n' });
    const r = await L(dir, url, '-format', 'dbmate', 'up', '--never-run', '20240101000000');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/dbmate has no never-run/);
    expect(await userTables(url)).toEqual([]);
  });
});
