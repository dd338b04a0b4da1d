import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { dropCreatedDatabases } from './db.js';

/**
 * Each test file gets a temp folder of its own, as TMPDIR (os.tmpdir() and every child process,
 * bin/ladder included, use it), and leaves nothing behind: the folder and the databases the file
 * created are removed when it ends. 0755 so the unprivileged postgres OS user can reach what is inside.
 */
// Under the run's root, not under tmpdir(): a worker runs several files (isolate: false) and TMPDIR is still the
// previous file's folder, which that file removed.
const root = mkdtempSync(join(process.env.LADDER_TEST_ROOT ?? tmpdir(), 'ladder-test-file-'));
chmodSync(root, 0o755);
process.env.TMPDIR = root;

afterAll(async () => {
  await dropCreatedDatabases();
  rmSync(root, { recursive: true, force: true });
});
