import pg from 'pg';
import { inject, onTestFinished } from 'vitest';

let counter = 0;
const created: string[] = [];

/** Creates a fresh, empty database for one test (or test file) and returns its URL. */
export async function freshDatabase(label = 'ladder'): Promise<string> {
  const admin = inject('adminUrl');
  const name = `${label.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${process.pid}_${++counter}_${Date.now() % 100000}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"${await fileCopy(client)}`);
    created.push(name);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

let strategy: Promise<string> | undefined;

/**
 * PostgreSQL 15+ copies template1 by WAL-logging every block of it; FILE_COPY copies its files instead, which is
 * cheaper for the run's hundreds of small databases (the embedded server runs without fsync, see global-setup.ts).
 * Older servers (a TEST_DATABASE_URL) only know the file copy and not the option.
 */
function fileCopy(client: pg.Client): Promise<string> {
  strategy ??= client.query<{ v: string }>("SELECT current_setting('server_version_num') v").then((r) => (Number(r.rows[0]!.v) >= 150000 ? ' STRATEGY FILE_COPY' : ''));
  return strategy;
}

/** Drops every database this test file created (connections still open are ended by FORCE). */
export async function dropCreatedDatabases(): Promise<void> {
  if (created.length === 0) return;
  const client = new pg.Client({ connectionString: inject('adminUrl') });
  await client.connect();
  try {
    for (const name of created.splice(0)) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/** Runs fn on a short-lived connection. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: stripX(url) });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Runs one query on a short-lived connection (for assertions on real rows). */
export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: stripX(url) });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

function stripX(url: string): string {
  const u = new URL(url);
  for (const k of [...u.searchParams.keys()]) if (k.startsWith('x-')) u.searchParams.delete(k);
  return u.toString();
}

/** The tracking table's rows, as text versions: [] when nothing is applied. */
export function trackingRows(url: string, table = 'public.schema_migrations'): Promise<{ version: string; dirty: boolean }[]> {
  return query<{ version: string; dirty: boolean }>(url, `select version::text, dirty from ${table}`);
}

/** The user's tables in a schema, sorted, leaving out Ladder's own journal. */
export async function userTables(url: string, schema = 'public'): Promise<string[]> {
  const rows = await query<{ t: string }>(
    url,
    "select table_name t from information_schema.tables where table_schema = $1 and table_name <> 'ladder_journal' order by 1",
    [schema],
  );
  return rows.map((r) => r.t);
}

/**
 * Backends whose query carries `marker` and that are inside pg_sleep right now. Ladder sends a step as one
 * query whose first part commits the dirty marker, so "the query is visible" is not yet "the body is running":
 * a test that cancels or kills a step mid-body must wait for the sleep itself.
 */
export async function sleepingBackends(url: string, marker: string): Promise<number[]> {
  const rows = await query<{ pid: number }>(
    url,
    "select pid from pg_stat_activity where wait_event = 'PgSleep' and position($1 in query) > 0 and pid <> pg_backend_pid()",
    [marker],
  );
  return rows.map((r) => r.pid);
}

/** Waits until a backend running `marker`'s step sleeps inside its body; returns its pid. */
export async function waitForSleepingBody(url: string, marker: string, timeoutMs = 30_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const pids = await sleepingBackends(url, marker);
    if (pids.length > 0) return pids[0]!;
    if (Date.now() > until) throw new Error(`no backend slept in a query containing ${marker} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A gate a migration step waits at, so a test can act while the step is certainly still running (kill, cancel,
 * look at its locks) however loaded the machine is: the step runs `gate.sql` (pg_advisory_xact_lock on `key`),
 * which blocks while the test's own session holds that lock, and goes on when the test calls open().
 * Advisory locks belong to one database, so the gate is closed on the step's database. Call it inside a test:
 * the gate opens by itself when the test ends, so a failing assertion never leaves the step waiting.
 */
export interface Gate {
  /** The statement the step waits in. */
  sql: string;
  /** Resolves once a backend other than the gate's waits for it (the step has reached the gate). */
  reached(timeoutMs?: number): Promise<void>;
  /** Lets the step go on (ends the session holding the lock; safe to call twice). */
  open(): Promise<void>;
}

export async function closedGate(url: string, key = 4242): Promise<Gate> {
  const holder = new pg.Client({ connectionString: stripX(url), application_name: 'test-gate' });
  await holder.connect();
  await holder.query('SELECT pg_advisory_lock($1::bigint)', [key]);
  let opened: Promise<void> | undefined;
  const open = () => (opened ??= holder.end());
  onTestFinished(open);
  return {
    sql: `SELECT pg_advisory_xact_lock(${key})`,
    reached: async (timeoutMs = 30_000) => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const waiting = await query(
          url,
          `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = 0 AND objid = $1::bigint::oid AND objsubid = 1
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [key],
        );
        if (waiting.length > 0) return;
        if (Date.now() > until) throw new Error(`no step reached the gate (advisory lock ${key}) within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    open,
  };
}
