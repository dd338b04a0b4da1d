import { statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { startEmbedded, type EmbeddedServer } from '../db/embedded.js';
import { LadderError } from '../errors.js';

export const SANDBOX_DB = 'ladder_sandbox';

export interface Sandbox {
  url: string;
  dataDir: string;
  /** Set when .ladder/sandbox could not be used and why. */
  note?: string;
  stop(): Promise<void>;
}

/** The embedded PostgreSQL used when no database is given: data kept in .ladder/sandbox between runs. */
export async function startSandbox(cwd: string): Promise<Sandbox> {
  let dataDir = resolve(join(cwd, '.ladder', 'sandbox'));
  let note: string | undefined;
  // As root, PostgreSQL runs as the unprivileged postgres user, who must be able to walk down to its data.
  if (process.getuid?.() === 0 && !reachableByOthers(dirname(dataDir))) {
    const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
    note = `not ${dataDir}: the postgres OS user that runs it as root cannot reach that folder`;
    dataDir = join(tmpdir(), `ladder-sandbox-${key}`);
  }
  let server: EmbeddedServer;
  try {
    server = await startEmbedded({ dataDir, persistent: true });
  } catch (err) {
    throw new LadderError((err as Error).message, 'Or point Ladder at a running PostgreSQL with -database URL or DATABASE_URL.');
  }
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  try {
    await admin.connect();
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [SANDBOX_DB]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${SANDBOX_DB}`);
  } catch (err) {
    await server.stop();
    throw err;
  } finally {
    await admin.end().catch(() => undefined);
  }
  // A closed terminal (SIGHUP) or a kill (SIGTERM) must not leave the sandbox's PostgreSQL running.
  const onSignal = (signal: NodeJS.Signals, code: number) => () => {
    server.stop().finally(() => process.exit(code));
  };
  const onHup = onSignal('SIGHUP', 129);
  const onTerm = onSignal('SIGTERM', 143);
  process.once('SIGHUP', onHup);
  process.once('SIGTERM', onTerm);
  const stop = async () => {
    process.removeListener('SIGHUP', onHup);
    process.removeListener('SIGTERM', onTerm);
    await server.stop();
  };
  return { url: server.url(SANDBOX_DB), dataDir, note, stop };
}

/** Whether every existing ancestor of dir can be traversed by other users (o+x). */
function reachableByOthers(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    try {
      if ((statSync(d).mode & 0o001) === 0) return false;
    } catch {
      /* not created yet: mkdir makes it 0755 */
    }
    if (dirname(d) === d) return true;
  }
}
