import type pg from 'pg';
import { connect } from './connect.js';
import type { DatabaseTarget } from './url.js';

export interface LockHolder {
  pid: number;
  applicationName: string;
  user: string;
  clientAddr: string | null;
  since: string | null;
  query: string;
}

export interface Notice {
  severity: string;
  message: string;
  detail?: string;
  hint?: string;
}

/** The one connection that takes the lock and runs the migrations, plus what it takes to cancel it. */
export class MigrationSession {
  private noticeListener?: (n: Notice) => void;
  private locked: string | null = null;

  private constructor(
    readonly client: pg.Client,
    readonly target: DatabaseTarget,
    readonly pid: number,
  ) {
    client.on('notice', (msg: { severity?: string; message?: string; detail?: string; hint?: string }) => {
      this.noticeListener?.({ severity: msg.severity ?? 'NOTICE', message: msg.message ?? '', detail: msg.detail, hint: msg.hint });
    });
  }

  static async open(target: DatabaseTarget): Promise<MigrationSession> {
    const client = await connect(target);
    // The server sends its pid (BackendKeyData) while connecting and pg keeps it: no round trip.
    const known = (client as unknown as { processID?: number | null }).processID;
    const pid = typeof known === 'number' && known > 0 ? known : Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    return new MigrationSession(client, target, pid);
  }

  onNotice(listener: ((n: Notice) => void) | undefined): void {
    this.noticeListener = listener;
  }

  /**
   * Session-level pg_advisory_lock semantics (the same key golang-migrate uses), but polled with
   * pg_try_advisory_lock so the timeout really stops the wait and the holder can be shown meanwhile.
   */
  async lock(lockId: string, timeoutMs: number, onWait?: (holder: LockHolder | null) => void): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let announced = false;
    for (;;) {
      const res = await this.client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [lockId]);
      if (res.rows[0].ok) {
        this.locked = lockId;
        return true;
      }
      if (!announced) {
        announced = true;
        onWait?.(await lockHolder(this.client, lockId));
      }
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now()))));
    }
  }

  async unlock(): Promise<void> {
    if (this.locked === null) return;
    const id = this.locked;
    this.locked = null;
    await this.client.query('SELECT pg_advisory_unlock($1::bigint)', [id]).catch(() => undefined);
  }

  /** Cancels the statement running on this session, from a second connection (pg_cancel_backend). */
  async cancelRunningStatement(): Promise<boolean> {
    const other = await connect({ ...this.target, config: { ...this.target.config, application_name: 'ladder-cancel' } });
    try {
      const res = await other.query('SELECT pg_cancel_backend($1) AS ok', [this.pid]);
      return Boolean(res.rows[0].ok);
    } finally {
      await other.end().catch(() => undefined);
    }
  }

  /** A short-lived second connection, e.g. to re-read the state after this one died. */
  async withFreshConnection<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const other = await connect(this.target);
    try {
      return await fn(other);
    } finally {
      await other.end().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.unlock();
    await this.client.end().catch(() => undefined);
  }
}

/** Who holds an advisory lock on a bigint key (PostgreSQL keeps its high 32 bits in classid, the low in objid, objsubid 1). */
export async function lockHolder(client: Pick<pg.Client, 'query'>, lockId: string): Promise<LockHolder | null> {
  const res = await client.query(
    `SELECT a.pid, coalesce(a.application_name, '') AS app, coalesce(a.usename::text, '') AS usr,
            host(a.client_addr) AS addr, a.backend_start::text AS since, coalesce(a.query, '') AS query
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.classid = (($1::bigint >> 32) & 4294967295)::oid AND l.objid = ($1::bigint & 4294967295)::oid
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.pid <> pg_backend_pid()
      LIMIT 1`,
    [lockId],
  );
  const r = res.rows[0];
  if (!r) return null;
  return { pid: Number(r.pid), applicationName: r.app, user: r.usr, clientAddr: r.addr, since: r.since, query: r.query };
}

export function describeHolder(h: LockHolder): string {
  const app = h.applicationName ? `"${h.applicationName}"` : 'an unnamed client';
  const from = h.clientAddr ? ` from ${h.clientAddr}` : '';
  return `${app} (pid ${h.pid}, user ${h.user}${from})`;
}
