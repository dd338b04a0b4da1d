import type { Project } from '../../engine/project.js';
import type { DbMonitor } from '../db-monitor.js';
import type { LogEntry } from '../log-lines.js';
import type { Store } from '../store.js';
import type { Capabilities } from '../capabilities.js';

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
  /** What differs between tools (capabilities.ts), computed once from the project. */
  readonly caps: Capabilities;
  log(entry: LogEntry): void;
  isDisposed(): boolean;
}
