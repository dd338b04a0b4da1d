import type { DbState, Migration, SourceListing, Version } from '../formats/types.js';
import type { AppliedMigration } from '../formats/driver.js';
import { NIL_VERSION } from '../formats/types.js';
import { computeStatus, type StatusRow } from '../engine/status.js';
import { computeLayout, type Layout } from './layout.js';
import { filterRows } from './filter.js';
import { moveCursor, scrollTo, windowTop } from './list-window.js';
import { confirmRows, planLineCount } from './plan-lines.js';
import { helpLines } from './keys-help.js';
import { displayVersion, missingHalfText, rowDetail, toolWord } from './rows.js';
import { sectionKey } from './documents.js';
import { historyLineCount } from './history-lines.js';
import { recoveryItems } from './recovery-choices.js';
import { guideLayout, initialDetailTop, type GuideLayout } from './recovery-lines.js';
import { detailLines, type DetailViewLine } from './detail-lines.js';
import { reduceCommand } from './reducers/command.js';
import { reduceRunExtras } from './reducers/run.js';
import { reduceHelp } from './reducers/help.js';
import { reduceLogExtras } from './reducers/log.js';
import type { Action, Info, PreviewState, RepairCheck, StatusOf, StepResult, UiState } from './state.js';

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
    detailTop: 0,
    detailDocs: { up: null, down: null },
    logSearch: { query: '', typing: false },
    logGrow: 0,
    previewLeft: 0,
    guarded: false,
    now: o.now,
    highlightEpoch: 0,
    quitting: false,
  };
  const s = withRows(base, o.listing, o.dbState, true);
  // Open on the current version, where the next action happens.
  const at = s.items.findIndex((r) => r.current);
  return at >= 0 ? place(s, at) : s;
}

export function layoutOf(s: UiState): Layout {
  // While a plan runs the log gets more of the screen: its lines are what is happening.
  return computeLayout(s.cols, s.rows, s.listWant, s.logGrow + (s.run && (s.mode === 'running' || s.mode === 'cancel') ? 4 : 0));
}

export function selectedRow(s: UiState): StatusRow | undefined {
  const i = s.visible[s.cursor];
  return i === undefined ? undefined : s.items[i];
}

/** Help is laid out as lines; the panel scrolls over them. */
export function helpLineCount(s: Pick<UiState, 'info' | 'cols' | 'helpFilter'>): number {
  return helpLines(s.info, s.cols, s.helpFilter).lines.length;
}

/** Rows of SQL in the preview: the panel's, less the detail lines about the selected row. */
export function previewRowsOf(s: UiState): number {
  const rows = layoutOf(s).previewRows;
  return Math.max(1, rows - rowDetail(selectedRow(s), rows, s.preview.absent).length);
}

const CONCERNS = [reduceCommand, reduceRunExtras, reduceHelp, reduceLogExtras];

export function reducer(s: UiState, a: Action): UiState {
  for (const r of CONCERNS) {
    const t = r(s, a);
    if (t !== undefined) return t === s ? s : fixWindows(t);
  }
  switch (a.type) {
    case 'detail':
      if (a.open) return s.mode === 'normal' ? { ...s, mode: 'detail', detailTop: 0, detailDocs: { up: null, down: null } } : s;
      return s.mode === 'detail' ? { ...s, mode: 'normal' } : s;
    case 'detail-scroll':
      return { ...s, detailTop: scrollTo(detailOf(s).length, fullRows(s), s.detailTop + a.delta) };
    case 'detail-docs':
      return { ...s, detailDocs: { up: a.up, down: a.down } };
    case 'preview-left':
      return { ...s, previewLeft: Math.max(0, s.previewLeft + a.delta) };
    case 'resize':
      if (a.cols === s.cols && a.rows === s.rows) return s;
      return fixWindows({ ...s, cols: a.cols, rows: a.rows });
    case 'listing':
      return withRows(s, a.listing, s.db.state, false);
    case 'db-state': {
      const same = s.db.state !== null && sameState(s.db.state, a.state);
      if (same && s.db.lockHolder === a.lockHolder && s.db.error === null) return s;
      const db = { state: a.state, lockHolder: a.lockHolder, error: null };
      return same ? { ...s, db } : withRows({ ...s, db }, s.listing, a.state, false);
    }
    case 'db-error':
      if (s.db.error === a.message) return s;
      return { ...s, db: { ...s.db, error: a.message } };
    case 'move':
      return place(s, moveCursor(s.visible.length, s.cursor, a.delta), true);
    case 'move-page':
      return place(s, moveCursor(s.visible.length, s.cursor, a.pages * layoutOf(s).listRows), true);
    case 'move-to':
      return place(s, a.where === 'top' ? 0 : Math.max(0, s.visible.length - 1), true);
    case 'select-version': {
      const at = s.visible.findIndex((i) => s.items[i]!.version === a.version);
      return at < 0 ? s : place(s, at, true);
    }
    case 'focus':
      return s.focus === a.focus ? s : { ...s, focus: a.focus };
    case 'tab': {
      const tab = a.tab ?? (s.tab === 'up' ? 'down' : 'up');
      return tab === s.tab ? s : derivePreview({ ...s, tab });
    }
    case 'preview-scroll':
      return scrollPreview(s, s.preview.top + a.delta);
    case 'preview-page':
      return scrollPreview(s, s.preview.top + a.pages * previewRowsOf(s));
    case 'preview-to':
      return scrollPreview(s, a.where === 'top' ? 0 : Number.MAX_SAFE_INTEGER, a.where === 'bottom');
    case 'preview-loading':
      if (s.preview.want !== a.path) return s;
      return { ...s, preview: { ...s.preview, status: 'loading', error: null } };
    case 'preview-loaded': {
      if (s.preview.want !== a.path) return s;
      // The whole file may arrive before its head: never replace it with the head.
      if (a.doc.partial && s.preview.doc && !s.preview.doc.partial && s.preview.doc.path === a.path) return s;
      const rows = previewRowsOf(s);
      const top = scrollTo(a.doc.lineCount, rows, s.preview.atEnd ? Number.MAX_SAFE_INTEGER : s.preview.top);
      return { ...s, preview: { ...s.preview, doc: a.doc, status: 'ready', error: null, top } };
    }
    case 'preview-error':
      if (s.preview.want !== a.path) return s;
      return { ...s, preview: { ...s.preview, doc: null, status: 'error', error: a.message } };
    case 'preview-stale':
      if (a.path !== null && s.preview.doc?.path !== a.path) return s;
      if (!s.preview.doc && s.preview.status !== 'error') return s;
      return { ...s, preview: { ...s.preview, doc: null, status: s.preview.want ? 'loading' : 'none', error: null } };
    case 'filter-open':
      return { ...s, mode: 'filter', focus: 'list' };
    case 'filter-type':
      return applyFilter(s, s.filter + a.text);
    case 'filter-backspace':
      return applyFilter(s, [...s.filter].slice(0, -1).join(''));
    case 'filter-close': {
      const t = a.keep ? s : applyFilter(s, '');
      return { ...t, mode: s.mode === 'filter' ? 'normal' : s.mode };
    }
    case 'help':
      if (a.open) return { ...s, mode: 'help', planTop: 0, helpFilter: '' };
      return s.mode === 'help' ? { ...s, mode: 'normal' } : s;
    case 'log-view':
      if (a.open) return s.mode === 'normal' || s.mode === 'running' ? { ...s, mode: 'log', logReturn: s.mode, logBack: 0 } : s;
      return s.mode === 'log' ? { ...s, mode: s.logReturn === 'running' && s.run ? 'running' : 'normal' } : s;
    case 'log-scroll':
      return scrollLog(s, s.logBack - a.delta);
    case 'log-page':
      return scrollLog(s, s.logBack - a.pages * Math.max(1, logViewRows(s) - 1));
    case 'log-to':
      return scrollLog(s, a.where === 'newest' ? 0 : Number.MAX_SAFE_INTEGER);
    case 'prompt-open':
      return { ...s, mode: 'prompt', prompt: { value: a.value ?? '', error: null, hint: a.hint } };
    case 'prompt-type':
      return { ...s, prompt: { ...s.prompt, value: s.prompt.value + a.text, error: null } };
    case 'prompt-backspace':
      return { ...s, prompt: { ...s.prompt, value: [...s.prompt.value].slice(0, -1).join(''), error: null } };
    case 'prompt-error':
      return { ...s, prompt: { ...s.prompt, error: a.message } };
    case 'prompt-close':
      return s.mode === 'prompt' ? { ...s, mode: 'normal' } : s;
    case 'planning':
      return { ...s, mode: 'planning', planningLabel: a.label };
    case 'plan-ready':
      return { ...s, mode: 'plan', plan: a.plan, planTop: 0, confirmInput: '', confirmError: null };
    case 'plan-scroll':
      return scrollPlan(s, s.planTop + a.delta);
    case 'plan-page':
      return scrollPlan(s, s.planTop + a.pages * Math.max(1, planRows(s) - 1));
    case 'plan-to':
      return scrollPlan(s, a.where === 'top' ? 0 : Number.MAX_SAFE_INTEGER);
    case 'confirm-type':
      return { ...s, confirmInput: s.confirmInput + a.text, confirmError: null };
    case 'confirm-backspace':
      return { ...s, confirmInput: [...s.confirmInput].slice(0, -1).join(''), confirmError: null };
    case 'confirm-error':
      return { ...s, confirmError: a.message };
    case 'plan-close':
      return { ...s, mode: s.mode === 'plan' || s.mode === 'planning' ? 'normal' : s.mode, plan: null, confirmInput: '', confirmError: null };
    case 'run-start':
      return {
        ...s,
        mode: 'running',
        plan: null,
        run: {
          title: a.title,
          labels: a.labels,
          started: false,
          running: false,
          index: 0,
          startedAt: a.now,
          stepStartedAt: a.now,
          results: [],
          lockWait: null,
          stopRequested: false,
          cancelSent: false,
          completed: 0,
          versions: a.versions ?? [],
          targets: a.targets ?? [],
          sql: null,
          stepMode: a.stepMode ?? false,
          offset: a.offset ?? 0,
        },
        now: a.now,
      };
    case 'run-lock-wait':
      return s.run ? { ...s, run: { ...s.run, lockWait: a.holder } } : s;
    case 'run-progress': {
      if (!s.run) return s;
      const results: StepResult[] = a.results.length === 0 ? s.run.results : [...s.run.results, ...a.results].slice(-200);
      return {
        ...s,
        now: a.now,
        run: { ...s.run, results, started: a.started, running: a.running ?? a.started, completed: a.completed, index: a.index, stepStartedAt: a.stepStartedAt },
      };
    }
    case 'failure':
      return { ...s, failure: a.failure };
    case 'run-stop-requested':
      return s.run ? { ...s, mode: s.mode === 'cancel' ? 'running' : s.mode, run: { ...s.run, stopRequested: true } } : s;
    case 'run-cancel-sent':
      return s.run ? { ...s, mode: s.mode === 'cancel' ? 'running' : s.mode, run: { ...s.run, stopRequested: true, cancelSent: true } } : s;
    case 'run-end':
      return { ...s, mode: s.mode === 'running' || s.mode === 'cancel' ? (s.pause ? 'paused' : 'normal') : s.mode, logReturn: 'normal', historyReturn: 'normal', run: null };
    case 'cancel-menu':
      if (a.open) return s.mode === 'running' || ((s.mode === 'log' || s.mode === 'history') && s.run) ? { ...s, mode: 'cancel' } : s;
      return s.mode === 'cancel' ? { ...s, mode: s.run ? 'running' : 'normal' } : s;
    case 'recovery':
      if (a.open)
        return {
          ...s,
          mode: 'recovery',
          recoveryShownFor: a.shownFor ?? s.db.state?.version ?? null,
          recovery: { status: a.ledger ? 'ready' : 'loading', diagnosis: null, error: null, highlighted: 0, detailTop: 0, ledger: a.ledger ?? null },
        };
      return s.mode === 'recovery' ? { ...s, mode: 'normal' } : s;
    case 'recovery-diagnosis': {
      const t: UiState = { ...s, recovery: { status: a.diagnosis ? 'ready' : 'error', diagnosis: a.diagnosis, error: a.error, highlighted: 0, detailTop: 0, ledger: null } };
      return { ...t, recovery: { ...t.recovery, detailTop: initialDetailTop(guideOf(t)) } };
    }
    case 'recovery-highlight': {
      if (a.index === s.recovery.highlighted) return s;
      const before = guideOf(s).candidate;
      const t: UiState = { ...s, recovery: { ...s.recovery, highlighted: a.index } };
      const g = guideOf(t);
      // Another candidate's breakdown: start it where its failed statement shows.
      return { ...t, recovery: { ...t.recovery, detailTop: g.candidate === before ? Math.min(t.recovery.detailTop, g.maxTop) : initialDetailTop(g) } };
    }
    case 'recovery-scroll':
      return scrollDetail(s, s.recovery.detailTop + a.delta);
    case 'recovery-page':
      return scrollDetail(s, s.recovery.detailTop + a.pages * Math.max(1, guideOf(s).window - 1));
    case 'history-view':
      if (a.open)
        return s.mode === 'normal' || s.mode === 'running'
          ? { ...s, mode: 'history', historyReturn: s.mode, history: { ...s.history, status: s.history.status === 'ready' ? 'ready' : 'loading', top: 0 } }
          : s;
      return s.mode === 'history' ? { ...s, mode: s.historyReturn === 'running' && s.run ? 'running' : 'normal' } : s;
    case 'history-loaded': {
      const history = {
        ...s.history,
        status: a.error ? ('error' as const) : ('ready' as const),
        entries: a.error ? s.history.entries : a.entries,
        error: a.error,
        journal: a.journal,
        none: a.none ?? null,
      };
      return scrollHistory({ ...s, history }, history.top);
    }
    case 'history-scroll':
      return scrollHistory(s, s.history.top + a.delta);
    case 'history-page':
      return scrollHistory(s, s.history.top + a.pages * Math.max(1, historyRows(s) - 1));
    case 'history-to':
      return scrollHistory(s, a.where === 'top' ? 0 : Number.MAX_SAFE_INTEGER);
    case 'log': {
      // Scrolled back in the log view: keep the same lines in view as new ones arrive.
      const added = a.total - s.log.total;
      const logBack = s.mode === 'log' && s.logBack > 0 ? Math.min(s.logBack + added, Math.max(0, a.lines.length - logViewRows(s))) : s.logBack;
      return { ...s, log: { lines: a.lines, total: a.total }, logBack };
    }
    case 'tick':
      return { ...s, now: a.now };
    case 'highlighter-ready':
      return { ...s, highlightEpoch: s.highlightEpoch + 1 };
    case 'quit':
      return s.quitting ? s : { ...s, quitting: true };
    default:
      return s;
  }
}

/** Recomputes the rows from the folder and the database state, keeping the cursor on the same version. */
function withRows(s: UiState, listing: SourceListing, dbState: DbState | null, first: boolean): UiState {
  const keep = first ? undefined : selectedRow(s)?.version;
  const status = s.statusOf(listing, dbState ?? { version: NIL_VERSION, dirty: false });
  const byVersion = new Map<Version, Migration>();
  for (const m of listing.migrations) byVersion.set(m.version, m);
  let vw = 1;
  let nw = 4;
  for (const r of status.rows) {
    const l = displayVersion(r).length;
    if (l > vw) vw = l;
    const word = toolWord(r);
    const n = r.name.length + (word ? 2 + word.length : 0);
    if (n > nw) nw = n;
  }
  // marker + flag + space, version, space, name, current marker, borders
  const listWant = 3 + vw + 1 + Math.min(nw, 40) + 2 + 2;
  const visible = filterRows(status.rows, s.filter);
  const repairable = dbState ? s.canRepair(dbState) : false;
  let t: UiState = { ...s, listing, byVersion, items: status.rows, visible, listWant, versionWidth: vw, repairable };
  const at = keep === undefined ? -1 : visible.findIndex((i) => status.rows[i]!.version === keep);
  t = { ...t, cursor: at >= 0 ? at : Math.min(s.cursor, Math.max(0, visible.length - 1)) };
  return derivePreview(fixWindows(t));
}

function applyFilter(s: UiState, filter: string): UiState {
  if (filter === s.filter) return s;
  const keep = selectedRow(s)?.version;
  const visible = filterRows(s.items, filter);
  const at = keep === undefined ? -1 : visible.findIndex((i) => s.items[i]!.version === keep);
  return derivePreview(fixWindows({ ...s, filter, visible, cursor: at >= 0 ? at : 0, listTop: 0 }));
}

function place(s: UiState, cursor: number, derive = true): UiState {
  if (cursor === s.cursor && s.listTop === windowTop(s.visible.length, cursor, s.listTop, layoutOf(s).listRows)) return s;
  const t = { ...s, cursor, listTop: windowTop(s.visible.length, cursor, s.listTop, layoutOf(s).listRows) };
  return derive ? derivePreview(t) : t;
}

function fixWindows(s: UiState): UiState {
  const l = layoutOf(s);
  const cursor = Math.min(s.cursor, Math.max(0, s.visible.length - 1));
  const listTop = windowTop(s.visible.length, cursor, s.listTop, l.listRows);
  const top = s.preview.doc ? scrollTo(s.preview.doc.lineCount, previewRowsOf(s), s.preview.top) : s.preview.top;
  const preview = top === s.preview.top ? s.preview : { ...s.preview, top };
  let t: UiState = { ...s, cursor, listTop, preview };
  if (s.mode === 'history') t = scrollHistory(t, t.history.top);
  if (s.mode === 'recovery') t = scrollDetail(t, t.recovery.detailTop);
  return s.plan ? { ...t, planTop: scrollTo(planLineCount(s.plan, layoutOf(t).fullInner), planRows(t), s.planTop) } : t;
}

/** The detail view's lines for this state (the panel draws the same). */
export function detailOf(s: UiState): DetailViewLine[] {
  const row = selectedRow(s);
  if (!row) return [];
  return detailLines(row, s.byVersion.get(row.version), s.detailDocs, s.history.status === 'ready' ? s.history.entries : null, layoutOf(s).fullInner);
}

/** Content rows of the full-height views (log, history, help, recovery guide). */
export function fullRows(s: UiState): number {
  const l = layoutOf(s);
  return Math.max(1, l.main + l.log - 2);
}

/** Lines of journal entries the history view shows (one line goes to the column heading). */
export function historyRows(s: UiState): number {
  return Math.max(1, fullRows(s) - 1 - (s.history.none !== null ? 1 : 0));
}

function scrollHistory(s: UiState, top: number): UiState {
  const total = s.history.none !== null ? (s.db.state?.applied?.length ?? 0) : historyLineCount(s.history.entries);
  const t = scrollTo(total, historyRows(s), top);
  return t === s.history.top ? s : { ...s, history: { ...s.history, top: t } };
}

/** The recovery guide's layout for this state (the panel draws the same). */
export function guideOf(s: UiState): GuideLayout {
  return guideLayout(s.recovery.diagnosis, recoveryItems(s), s.recovery.highlighted, fullRows(s), s.cols, 0);
}

function scrollDetail(s: UiState, top: number): UiState {
  const t = Math.max(0, Math.min(top, guideOf(s).maxTop));
  return t === s.recovery.detailTop ? s : { ...s, recovery: { ...s.recovery, detailTop: t } };
}

/** Rows of the full-height log view. */
export function logViewRows(s: UiState): number {
  const l = layoutOf(s);
  return Math.max(1, l.main + l.log - 2);
}

function scrollLog(s: UiState, back: number): UiState {
  const b = Math.max(0, Math.min(back, s.log.lines.length - logViewRows(s)));
  return b === s.logBack ? s : { ...s, logBack: b };
}

/** Rows of plan text above the confirmation line. */
export function planRows(s: UiState): number {
  const l = layoutOf(s);
  return Math.max(1, l.main - 2 - (s.plan ? confirmRows(s.plan, s.info.databaseName, l.fullInner) : 2));
}

function scrollPlan(s: UiState, top: number): UiState {
  if (s.mode === 'help') {
    const rows = layoutOf(s).main + layoutOf(s).log - 2;
    const t = scrollTo(helpLineCount(s), rows, top);
    return t === s.planTop ? s : { ...s, planTop: t };
  }
  if (!s.plan) return s;
  const t = scrollTo(planLineCount(s.plan, layoutOf(s).fullInner), planRows(s), top);
  return t === s.planTop ? s : { ...s, planTop: t };
}

function scrollPreview(s: UiState, top: number, atEnd = false): UiState {
  const doc = s.preview.doc;
  if (!doc) return s;
  const t = scrollTo(doc.lineCount, previewRowsOf(s), top);
  return t === s.preview.top && atEnd === s.preview.atEnd ? s : { ...s, preview: { ...s.preview, top: t, atEnd } };
}

/** Which file the preview should show for the selected row and tab; keeps the document if it is that file. */
function derivePreview(s: UiState): UiState {
  const row = selectedRow(s);
  let want: string | null = null;
  let path: string | null = null;
  let sql: string | undefined;
  let absent: string | null = null;
  const m = row ? s.byVersion.get(row.version) : undefined;
  if (!row) absent = s.items.length === 0 ? `No migration files in ${s.info.folder}.` : 'No migration matches the filter.';
  else if (!m) {
    const what = row.repeatable ? `The repeatable migration "${row.name}"` : `Version ${row.version}`;
    absent = `${what} is recorded in ${s.info.perRow ? s.info.table : 'the database'}, but the folder has no file for it (deleted, or another branch?).`;
  } else {
    const file = s.tab === 'up' ? m.up : m.down;
    if (file) {
      path = file.path;
      // The tool runs part of the file (dbmate's up or down section): show that part only.
      sql = file.sql;
      want = sql === undefined ? file.path : sectionKey(file.path, s.tab);
    } else absent = missingHalfText(s.info, row, m, s.tab);
  }
  const p = s.preview;
  if (p.want === want && p.absent === absent && p.sql === sql) return s;
  const same = p.doc !== null && p.doc.path === want && p.sql === sql;
  const preview: PreviewState = {
    want,
    path,
    ...(sql !== undefined ? { sql } : {}),
    absent,
    doc: same ? p.doc : null,
    status: want === null ? 'none' : same ? 'ready' : 'loading',
    error: null,
    top: same ? p.top : 0,
    atEnd: same ? p.atEnd : false,
  };
  return { ...s, preview };
}

/** Whether two reads of the tracking table say the same (set-tracking tools: the same rows, checksums and outcomes). */
export function sameState(a: DbState, b: DbState): boolean {
  if (a.version !== b.version || a.dirty !== b.dirty) return false;
  const x = a.applied;
  const y = b.applied;
  if (x === y) return true;
  if (!x || !y || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!sameRow(x[i]!, y[i]!)) return false;
  return true;
}

function sameRow(a: AppliedMigration, b: AppliedMigration): boolean {
  return a.key === b.key && a.success === b.success && a.checksum === b.checksum && a.installedRank === b.installedRank && a.description === b.description && a.type === b.type;
}
