import { relative, isAbsolute } from 'node:path';
import type { Project } from '../engine/project.js';
import { markNeverRun } from '../engine/status.js';
import type { DbState } from '../formats/types.js';
import { TuiController, type ControllerOptions } from './controller.js';
import { initialState } from './reducer.js';
import { Store } from './store.js';
import type { Info } from './state.js';
import { FORMAT_LABELS } from '../formats/detect.js';
import { capabilitiesOf } from './capabilities.js';

export interface TuiOptions {
  lockTimeoutMs: number;
  /** Terminal size (tests inject it; the real terminal's follows resize events). */
  cols: number;
  rows: number;
  color: boolean;
  /** Where the database URL came from ("sandbox" is shown in the header). */
  databaseFrom?: string;
  cwd?: string;
  /** The database state to start from; read from the project when omitted. */
  initialState?: DbState;
  controller?: Partial<Omit<ControllerOptions, 'project' | 'store' | 'lockTimeoutMs'>>;
}

export interface Tui {
  store: Store;
  controller: TuiController;
}

/** The TUI's state and effects for one project, without any rendering (Ink is loaded by mount.tsx). */
export async function createTui(project: Project, o: TuiOptions): Promise<Tui> {
  let dbState: DbState | null = o.initialState ?? null;
  if (!dbState) {
    try {
      dbState = await project.readState();
    } catch {
      dbState = null; // shown as unreachable by the first refresh
    }
  }
  const store = new Store(
    initialState({
      cols: o.cols,
      rows: o.rows,
      color: o.color,
      info: projectInfo(project, o.cwd ?? process.cwd(), o.databaseFrom),
      listing: project.listing,
      statusOf: (_listing, state, steps) => {
        const status = project.status(state);
        if (steps && steps.length > 0) markNeverRun(status, steps);
        return status;
      },
      // Pure: the footer offers R (repair) only when the tool's repair would do something.
      canRepair: (state) => {
        try {
          return project.plan(state, { kind: 'repair' }).ok;
        } catch {
          return false;
        }
      },
      dbState,
      now: Date.now(),
    }),
  );
  const controller = new TuiController({ project, store, lockTimeoutMs: o.lockTimeoutMs, ...o.controller });
  return { store, controller };
}

export function projectInfo(project: Project, cwd: string, source?: string): Info {
  const rel = relative(cwd, project.listing.dir);
  const folder = rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? project.listing.dir : rel;
  return {
    database: project.target.display,
    databaseName: project.database,
    format: project.format,
    folder,
    table: project.tracking.table,
    journalTable: project.journal?.table,
    source,
    tool: FORMAT_LABELS[project.format] ?? project.format,
    detection: project.detection.reason,
    lockNote: project.tracking.lockNote,
    toolLocks: project.tracking.toolLocks,
    caps: capabilitiesOf(project),
    forceMeaning: project.tracking.forceMeaning,
  };
}
