import type { DbState, SourceListing } from '../formats/types.js';
import { computeStatus } from '../engine/status.js';
import { clampPane, scrollPane } from './scroll.js';
import { reduceCommand } from './reducers/command.js';
import { reduceDetail } from './reducers/detail.js';
import { reduceDryRun } from './reducers/dry-run.js';
import { reduceHelp } from './reducers/help.js';
import { reduceHistory } from './reducers/history.js';
import { keepCursorInView, place, reduceList, withRows } from './reducers/list.js';
import { reduceLog } from './reducers/log.js';
import { reducePlan } from './reducers/plan.js';
import { reducePreview } from './reducers/preview.js';
import { reduceRecovery } from './reducers/recovery.js';
import { reduceRun } from './reducers/run.js';
import type { Action, Info, RepairCheck, StatusOf, UiState } from './state.js';

export { detailOf, fullRows, layoutOf, planRows, previewRowsOf, selectedRow } from './view.js';
export { sameState } from './reducers/list.js';

export interface InitialOptions {
  cols: number;
  rows: number;
  color: boolean;
  info: Info;
  listing: SourceListing;
  dbState: DbState | null;
  now: number;
  /** The project's status rules (Project.status); golang-migrate's when absent. */
  statusOf?: StatusOf;
  /** Whether the tool's repair has work in a state (the footer offers R only then); never when absent. */
  canRepair?: RepairCheck;
}

export function initialState(o: InitialOptions): UiState {
  const base: UiState = {
    cols: o.cols,
    rows: o.rows,
    color: o.color,
    mode: 'normal',
    focus: 'list',
    info: o.info,
    db: { state: o.dbState, lockHolder: null, error: null },
    listing: o.listing,
    statusOf: o.statusOf ?? computeStatus,
    canRepair: o.canRepair ?? (() => false),
    repairable: false,
    byVersion: new Map(),
    items: [],
    listWant: 40,
    versionWidth: 1,
    filter: '',
    visible: [],
    cursor: 0,
    listTop: 0,
    tab: 'up',
    preview: { want: null, path: null, absent: null, doc: null, status: 'none', error: null, top: 0, atEnd: false },
    log: { lines: [], total: 0 },
    logBack: 0,
    logReturn: 'normal',
    prompt: { value: '', error: null, hint: '' },
    plan: null,
    planTop: 0,
    confirmInput: '',
    confirmError: null,
    planningLabel: '',
    run: null,
    failure: null,
    recovery: { status: 'loading', diagnosis: null, error: null, highlighted: 0, detailTop: 0, ledger: null },
    history: { status: 'loading', entries: [], error: null, journal: true, none: null, top: 0 },
    historyReturn: 'normal',
    recoveryShownFor: null,
    pause: null,
    command: { value: '', error: null },
    helpFilter: '',
    helpTop: 0,
    detailTop: 0,
    detailDocs: { up: null, down: null },
    logSearch: { query: '', typing: false },
    logGrow: 0,
    previewLeft: 0,
    guarded: false,
    now: o.now,
    highlightEpoch: 0,
    toolChoice: null,
    drift: { status: 'unchecked', count: 0, version: null, error: null },
    detailDiff: null,
    dryRun: null,
    reopenAs: null,
    quitting: false,
  };
  const s = withRows(base, o.listing, o.dbState, true);
  // Open on the current version, where the next action happens.
  const at = s.items.findIndex((r) => r.current);
  return at >= 0 ? place(s, at) : s;
}

/** One slice per concern; the first that knows the action answers it. */
const SLICES = [reduceList, reducePreview, reducePlan, reduceRun, reduceRecovery, reduceHistory, reduceHelp, reduceLog, reduceDetail, reduceCommand, reduceDryRun];

export function reducer(s: UiState, a: Action): UiState {
  const t = reduceShared(s, a) ?? firstAnswer(s, a);
  return t === undefined || t === s ? s : fixWindows(t);
}

function firstAnswer(s: UiState, a: Action): UiState | undefined {
  for (const slice of SLICES) {
    const t = slice(s, a);
    if (t !== undefined) return t;
  }
  return undefined;
}

/** Actions that belong to no one concern: the terminal, scrolling any pane, the highlighter, quitting. */
function reduceShared(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'resize':
      return a.cols === s.cols && a.rows === s.rows ? s : { ...s, cols: a.cols, rows: a.rows };
    case 'scroll':
      return scrollPane(s, a.pane, a.by);
    case 'highlighter-ready':
      return { ...s, highlightEpoch: s.highlightEpoch + 1 };
    case 'drift':
      return { ...s, drift: a.drift };
    case 'tool-ask':
      return s.mode === 'normal' || s.mode === 'planning' ? { ...s, mode: 'tool', toolChoice: { candidates: a.candidates, labels: a.labels, asked: a.asked } } : s;
    case 'tool-close':
      return s.mode === 'tool' ? { ...s, mode: 'normal', toolChoice: null } : s;
    case 'tool-chosen':
      // Ladder reopens the project as this tool's (mount.tsx): this screen ends first.
      return { ...s, reopenAs: a.format, quitting: true };
    case 'quit':
      return s.quitting ? s : { ...s, quitting: true };
    default:
      return undefined;
  }
}

/** After any change, every window back in range: the list around its cursor, each open pane within its lines. */
function fixWindows(s: UiState): UiState {
  let t = clampPane(keepCursorInView(s), 'preview');
  if (t.mode === 'history') t = clampPane(t, 'history');
  if (t.mode === 'recovery') t = clampPane(t, 'recovery');
  if (t.mode === 'help') t = clampPane(t, 'help');
  if (t.mode === 'dry-run') t = clampPane(t, 'dry-run');
  return t.plan ? clampPane(t, 'plan') : t;
}
