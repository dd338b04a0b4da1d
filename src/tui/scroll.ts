import { clamp } from './layout.js';
import { historyLineCount } from './history-lines.js';
import { planLineCount } from './plan-lines.js';
import type { UiState } from './state.js';
import type { Pane, ScrollBy } from './pane.js';
import { detailOf, dryRunOf, fullRows, guideOf, helpLineCount, historyRows, layoutOf, logRowTotal, logViewRows, planRows, previewRowsOf } from './view.js';

/** Every pane that scrolls over lines (the list moves a cursor instead). */

interface PaneModel {
  /** Visible rows, and the largest first line that still fills them. */
  rows(s: UiState): number;
  maxTop(s: UiState): number;
  top(s: UiState): number;
  set(s: UiState, top: number, atEnd: boolean): UiState;
}

const overLines = (total: (s: UiState) => number, rows: (s: UiState) => number) => (s: UiState) => Math.max(0, total(s) - rows(s));

const PANES: Record<Pane, PaneModel> = {
  preview: {
    rows: previewRowsOf,
    maxTop: overLines((s) => s.preview.doc?.lineCount ?? 0, previewRowsOf),
    top: (s) => s.preview.top,
    set: (s, top, atEnd) => (s.preview.doc ? { ...s, preview: { ...s.preview, top, atEnd } } : s),
  },
  plan: {
    rows: planRows,
    maxTop: overLines((s) => (s.plan ? planLineCount(s.plan, layoutOf(s).fullInner) : 0), planRows),
    top: (s) => s.planTop,
    set: (s, planTop) => ({ ...s, planTop }),
  },
  help: {
    rows: fullRows,
    maxTop: overLines(helpLineCount, fullRows),
    top: (s) => s.helpTop,
    set: (s, helpTop) => ({ ...s, helpTop }),
  },
  // The log counts back from its newest line (0 follows new lines); here it is seen from the top like the rest.
  log: {
    rows: logViewRows,
    maxTop: overLines(logRowTotal, logViewRows),
    top: (s) => Math.max(0, logRowTotal(s) - logViewRows(s) - s.logBack),
    set: (s, top) => ({ ...s, logBack: Math.max(0, logRowTotal(s) - logViewRows(s) - top) }),
  },
  history: {
    rows: historyRows,
    maxTop: overLines((s) => (s.history.none !== null ? (s.db.state?.applied?.length ?? 0) : historyLineCount(s.history.entries)), historyRows),
    top: (s) => s.history.top,
    set: (s, top) => ({ ...s, history: { ...s.history, top } }),
  },
  recovery: {
    rows: (s) => guideOf(s).window,
    maxTop: (s) => guideOf(s).maxTop,
    top: (s) => s.recovery.detailTop,
    set: (s, detailTop) => ({ ...s, recovery: { ...s.recovery, detailTop } }),
  },
  'dry-run': {
    rows: fullRows,
    maxTop: overLines((s) => dryRunOf(s).length, fullRows),
    top: (s) => s.dryRun?.top ?? 0,
    set: (s, top) => (s.dryRun ? { ...s, dryRun: { ...s.dryRun, top } } : s),
  },
  detail: {
    rows: fullRows,
    maxTop: overLines((s) => detailOf(s).length, fullRows),
    top: (s) => s.detailTop,
    set: (s, detailTop) => ({ ...s, detailTop }),
  },
};

/** The one scroll rule of every pane: by lines, by pages (one line of overlap, as less does), or to an end; always in range. */
export function scrollPane(s: UiState, pane: Pane, by: ScrollBy): UiState {
  const p = PANES[pane];
  const from = p.top(s);
  const want = 'lines' in by ? from + by.lines : 'pages' in by ? from + by.pages * Math.max(1, p.rows(s) - 1) : by.to === 'start' ? 0 : Number.MAX_SAFE_INTEGER;
  const top = clamp(want, 0, p.maxTop(s));
  const atEnd = 'to' in by && by.to === 'end';
  if (top === from && (pane !== 'preview' || atEnd === s.preview.atEnd)) return s;
  return p.set(s, top, atEnd);
}

/** Brings a pane's first line back in range after its content or the terminal changed. */
export function clampPane(s: UiState, pane: Pane): UiState {
  const p = PANES[pane];
  const top = clamp(p.top(s), 0, p.maxTop(s));
  return top === p.top(s) ? s : p.set(s, top, pane === 'preview' && s.preview.atEnd);
}
