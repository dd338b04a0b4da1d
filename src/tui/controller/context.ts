import type { Project } from '../../engine/project.js';
import type { DbMonitor } from '../db-monitor.js';
import type { LogEntry } from '../log-lines.js';
import type { Store } from '../store.js';

/** The controller's options, defaults filled in. */
export interface ControllerSettings {
  lockTimeoutMs: number;
  refreshMs: number;
  watch: boolean;
  flushMs: number;
  journal: boolean;
  /** Where :drift makes its scratch database (a server URL); the embedded PostgreSQL when absent. */
  scratchUrl?: string;
  now: () => number;
}

/** What every part of the controller shares: the project, the state, the monitor connection and the log. */
export interface ControllerContext {
  readonly project: Project;
  readonly store: Store;
  readonly monitor: DbMonitor;
  readonly settings: ControllerSettings;
  /**
   * The tool tracks a row per migration (dbmate, sqlx, Flyway): force, forget and repair act on the
   * selected row; a failed row gets the failed-migration panel. golang-migrate (one version and a dirty
   * flag) has the typed force and the guided recovery.
   */
  readonly perRow: boolean;
  log(entry: LogEntry): void;
  isDisposed(): boolean;
}
