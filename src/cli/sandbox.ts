import { existsSync, statSync } from 'node:fs';
import { chmod, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { randomPassword, startEmbedded, type EmbeddedServer } from '../db/embedded.js';
import { quoteLiteral } from '../db/quote.js';
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
export async function startSandbox(cwd: string, opts: { ownSignals?: boolean } = {}): Promise<Sandbox> {
  let dataDir = resolve(join(cwd, '.ladder', 'sandbox'));
  let note: string | undefined;
  // As root, PostgreSQL runs as the unprivileged postgres user, who must be able to walk down to its data.
  if (process.getuid?.() === 0 && !reachableByOthers(dirname(dataDir))) {
    const key = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
    note = `not ${dataDir}: the postgres OS user that runs it as root cannot reach that folder`;
    dataDir = join(tmpdir(), `ladder-sandbox-${key}`);
  }
  const secret = await sandboxPassword(dataDir);
  let server: EmbeddedServer;
  try {
    server = await startEmbedded({ dataDir, persistent: true, password: secret.password });
  } catch (err) {
    throw new LadderError((err as Error).message, 'Or point Ladder at a running PostgreSQL with -database URL or DATABASE_URL.');
  }
  // A closed terminal (SIGHUP) or a kill (SIGTERM) must not leave the sandbox's PostgreSQL running.
  // Ladder's CLI (main.ts) handles signals itself and stops the sandbox; ownSignals is for other callers.
  const onSignal = (code: number) => () => {
    server.stop().finally(() => process.exit(code));
  };
  const onHup = onSignal(129);
  const onTerm = onSignal(143);
  if (opts.ownSignals) {
    process.once('SIGHUP', onHup);
    process.once('SIGTERM', onTerm);
  }
  const stop = async () => {
    process.removeListener('SIGHUP', onHup);
    process.removeListener('SIGTERM', onTerm);
    await server.stop();
  };
  let admin = new pg.Client({ connectionString: server.url('postgres') });
  try {
    if (secret.fresh) await writePassword(dataDir, secret.password);
    if (secret.legacy) admin = await rotateLegacyPassword(server, dataDir);
    else await admin.connect();
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [SANDBOX_DB]);
    if (found.rowCount === 0) await admin.query(`CREATE DATABASE ${SANDBOX_DB}`);
  } catch (err) {
    await stop();
    throw err;
  } finally {
    await admin.end().catch(() => undefined);
  }
  return { url: server.url(SANDBOX_DB), dataDir, note, stop };
}

/** Where the sandbox keeps its superuser's password: inside its data folder, readable only by its owner (0600). */
export const PASSWORD_FILE = 'ladder-superuser-password';
/** The password every sandbox had before Ladder generated one per sandbox. */
const LEGACY_PASSWORD = 'ladder-sandbox';

interface SandboxSecret {
  password: string;
  /** A new sandbox: initdb sets this password, then it is written down. */
  fresh?: boolean;
  /** A sandbox from an older Ladder: it still has the shared password, to be replaced at once. */
  legacy?: boolean;
}

async function sandboxPassword(dataDir: string): Promise<SandboxSecret> {
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // initdb wants an empty folder: a password file left by an initdb that failed goes first.
    for (const f of [PASSWORD_FILE, `${PASSWORD_FILE}.new`, `${PASSWORD_FILE}.rotating`]) await rm(join(dataDir, f), { force: true });
    return { password: randomPassword(), fresh: true };
  }
  const stored = await readFile(join(dataDir, PASSWORD_FILE), 'utf8').catch(() => null);
  if (stored !== null && stored.trim() !== '') return { password: stored.trim() };
  return { password: LEGACY_PASSWORD, legacy: true };
}

async function writePassword(dataDir: string, password: string): Promise<void> {
  const file = join(dataDir, PASSWORD_FILE);
  const tmp = `${file}.new`;
  await writeFile(tmp, `${password}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600); // mode is only applied to a file writeFile creates
  await rename(tmp, file);
}

/**
 * An older Ladder's sandbox still has the shared constant password, which any local user knows:
 * replace it with a random one (rather than keep reading the old one) before anything else happens.
 * Written down first, so a crash between the two steps leaves a password Ladder can find.
 */
async function rotateLegacyPassword(server: EmbeddedServer, dataDir: string): Promise<pg.Client> {
  const pending = join(dataDir, `${PASSWORD_FILE}.rotating`);
  const file = join(dataDir, PASSWORD_FILE);
  let admin = new pg.Client({ connectionString: server.url('postgres') });
  try {
    await admin.connect();
  } catch (err) {
    await admin.end().catch(() => undefined);
    if ((err as { code?: string }).code !== '28P01') throw err;
    // A rotation interrupted after ALTER ROLE: the new password is in the pending file.
    const rotated = (await readFile(pending, 'utf8').catch(() => '')).trim();
    if (rotated) {
      server.setPassword(rotated);
      admin = new pg.Client({ connectionString: server.url('postgres') });
      if (await admin.connect().then(() => true, () => false)) {
        await rename(pending, file);
        return admin;
      }
      await admin.end().catch(() => undefined);
    }
    throw new LadderError(
      `The sandbox in ${dataDir} has no ${PASSWORD_FILE} file and does not accept the password older Ladders gave it.`,
      `Write its superuser password into ${file} (chmod 600), or delete ${dataDir} to start a fresh sandbox.`,
    );
  }
  const password = randomPassword();
  await writeFile(pending, `${password}\n`, { mode: 0o600 });
  await chmod(pending, 0o600);
  await admin.query(`ALTER ROLE CURRENT_USER PASSWORD ${quoteLiteral(password)}`);
  await rename(pending, file);
  server.setPassword(password);
  return admin;
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
