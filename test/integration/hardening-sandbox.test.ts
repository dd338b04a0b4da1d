import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, cpSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ladder, migrationsDir, startLadder, waitFor } from '../helpers/cli.js';
import { startEmbedded } from '../../src/db/embedded.js';
import { PASSWORD_FILE } from '../../src/cli/sandbox.js';

/** postgres processes whose data directory is under `root`. */
function postgresUnder(root: string): string[] {
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
  return ps.split('\n').filter((l) => /postgres/.test(l) && l.includes(root));
}

/** A project folder the postgres OS user can reach (the sandbox runs as it when the tests run as root). */
function project(): string {
  const cwd = mkdtempSync(join(tmpdir(), 'ladder-sbx-'));
  chmodSync(cwd, 0o755);
  return cwd;
}

const canLogIn = async (port: number, password: string) => {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await c.connect();
    return true;
  } catch (err) {
    expect((err as { code?: string }).code).toBe('28P01');
    return false;
  } finally {
    await c?.end().catch(() => undefined);
  }
};

describe('the sandbox has no shared password', () => {
  it('an older sandbox with the old constant password still opens; its password is rotated to a random one kept 0600, and it listens on 127.0.0.1 only', async () => {
    const cwd = project();
    const dataDir = join(cwd, '.ladder', 'sandbox');
    // What an older Ladder left: a sandbox initialised with the shared password and no password file.
    const old = await startEmbedded({ dataDir, persistent: true, password: 'ladder-sandbox' });
    await old.stop();

    cpSync(join(import.meta.dirname, '../../migrations'), join(cwd, 'migrations'), { recursive: true });
    const status = await ladder(['-sandbox', 'status'], { cwd });
    expect(status.stderr).toMatch(/^Using the sandbox PostgreSQL \(as -sandbox asked; data in .*\.ladder\/sandbox\)/);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/12 pending/);
    const file = join(dataDir, PASSWORD_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(password).not.toBe('ladder-sandbox');
    expect(status.stdout + status.stderr).not.toContain(password);
    // Started listening on loopback only, with no Unix socket.
    expect(readFileSync(join(dataDir, 'postmaster.opts'), 'utf8')).toMatch(/"listen_addresses=127\.0\.0\.1" "-c" "unix_socket_directories="/);
    expect(postgresUnder(cwd)).toEqual([]);

    // The old password no longer works, the stored one does.
    const check = await startEmbedded({ dataDir, persistent: true, password });
    try {
      expect(await canLogIn(check.port, 'ladder-sandbox')).toBe(false);
      expect(await canLogIn(check.port, password)).toBe(true);
    } finally {
      await check.stop();
    }

    // Changing commands need -sandbox said explicitly; with it, a SIGTERM stops after the step and the server is stopped afterwards.
    const refused = await ladder(['up'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^error: "up" changes a database, and no database was given/);
    const gate = join(cwd, 'gate-open');
    const run = startLadder(['-sandbox', '-path', 'slow', 'up'], { cwd: slowProject(cwd, gate) });
    await waitFor(() => postgresUnder(cwd).length > 0 && run.stderr().includes('Using the sandbox'), 60_000);
    await waitFor(() => sleeping(dataDir, password), 60_000);
    run.child.kill('SIGTERM');
    await waitFor(() => run.stderr().includes('Stopping after this running migration (SIGTERM)'));
    writeFileSync(gate, ''); // only now may the step end
    const r = await run.result;
    expect(r.stderr).toContain('Stopping after this running migration (SIGTERM)');
    expect(r.stdout).toMatch(/^1\/u slow \(/);
    expect(r.stdout).not.toContain('2/u');
    expect(r.code).toBe(1);
    expect(postgresUnder(cwd)).toEqual([]);
  }, 180_000);
});

/**
 * Writes ./slow into cwd: a step that waits (found in pg_stat_activity) until the file `gate` exists, then a second
 * one. The sandbox starts with Ladder, so the test cannot hold a lock in it beforehand: the step polls for a file
 * instead (the sandbox's superuser may stat any path), and the test creates it once it has seen what it waits for.
 */
function slowProject(cwd: string, gate: string): string {
  const wait = `DO $$ BEGIN WHILE (pg_stat_file('${gate}', true)).size IS NULL LOOP PERFORM pg_sleep(0.02); END LOOP; END $$ /* sandbox_slow */;`;
  const dir = migrationsDir({ '1_slow.up.sql': wait, '2_two.up.sql': 'create table two (id int);' });
  cpSync(dir, join(cwd, 'slow'), { recursive: true });
  return cwd;
}

/** Whether the sandbox is running the sleeping step (read through the sandbox's own password file). */
async function sleeping(dataDir: string, password: string): Promise<boolean> {
  let c: pg.Client | undefined;
  try {
    const port = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'ladder_sandbox' });
    await c.connect();
    const r = await c.query("select 1 from pg_stat_activity where query like '%sandbox_slow */%' and pid <> pg_backend_pid()");
    return (r.rowCount ?? 0) > 0;
  } catch {
    return false;
  } finally {
    await c?.end().catch(() => undefined);
  }
}
