import type { Project } from '../engine/project.js';
import { connect } from '../db/connect.js';
import { describeHolder, lockHolder } from '../db/session.js';
import type { DbState, Queryable } from '../formats/types.js';

/** A second connection for the periodic re-read and the lock-holder check (the session may be busy running). */
export interface MonitorConnection extends Queryable {
  end(): Promise<void>;
}

/** A re-read that takes longer (a hung connection) is abandoned and the connection replaced. */
export const MONITOR_TIMEOUT_MS = 5000;

/**
 * Reads the tracking table and who holds the migration lock on its own short-lived connection,
 * opened on first use and replaced after any failure or timeout.
 */
export class DbMonitor {
  private conn: MonitorConnection | undefined;
  private opening: Promise<MonitorConnection> | undefined;
  private closed = false;

  constructor(
    private readonly project: Project,
    private readonly open: () => Promise<MonitorConnection> = () => connect(project.target),
    private readonly timeoutMs = MONITOR_TIMEOUT_MS,
  ) {}

  async readState(): Promise<DbState> {
    return this.use(async (c) => this.project.readState(c));
  }

  /** The state, and who holds the lock (described) when someone else does. */
  async read(): Promise<{ state: DbState; lockHolder: string | null }> {
    return this.use(async (c) => {
      const state = await withTimeout(this.project.readState(c), this.timeoutMs);
      const holder = await withTimeout(lockHolder(c, this.project.tracking.lockId), this.timeoutMs);
      return { state, lockHolder: holder ? describeHolder(holder) : null };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const c = this.conn ?? (await this.opening?.catch(() => undefined));
    this.conn = undefined;
    await c?.end().catch(() => undefined);
  }

  /** Runs fn on the connection (opened if needed), with the timeout; a failure replaces the connection. */
  use<T>(fn: (c: MonitorConnection) => Promise<T>, timeoutMs = this.timeoutMs): Promise<T> {
    // One query at a time on the one connection (state re-reads, the history view, the recovery diagnosis).
    const run = this.tail.then(() => this.useNow(fn, timeoutMs));
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private tail: Promise<void> = Promise.resolve();

  private async useNow<T>(fn: (c: MonitorConnection) => Promise<T>, timeoutMs: number): Promise<T> {
    try {
      const c = await withTimeout(this.connection(), this.timeoutMs);
      return await withTimeout(fn(c), timeoutMs);
    } catch (err) {
      this.drop();
      throw err;
    }
  }

  private connection(): Promise<MonitorConnection> {
    if (this.conn) return Promise.resolve(this.conn);
    this.opening ??= this.open().then(
      (c) => {
        this.opening = undefined;
        if (this.closed) {
          void c.end().catch(() => undefined);
          throw new Error('closed');
        }
        this.conn = c;
        return c;
      },
      (err) => {
        this.opening = undefined;
        throw err;
      },
    );
    return this.opening;
  }

  private drop(): void {
    const c = this.conn;
    this.conn = undefined;
    void c?.end().catch(() => undefined);
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from PostgreSQL within ${ms / 1000}s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
