import type { StatusRow } from '../engine/status.js';
import { computeLayout, type Layout } from './layout.js';
import { confirmRows } from './plan-lines.js';
import { helpLines } from './keys-help.js';
import { rowDetail } from './rows.js';
import { recoveryItems } from './recovery-choices.js';
import { guideLayout, type GuideLayout } from './recovery-lines.js';
import { detailLines, type DetailViewLine } from './detail-lines.js';
import type { UiState } from './state.js';
import { dryRunLines, type DryRunLine } from './dry-run-lines.js';
import { logRowCount, logTextWidth, searchLog, type LogLine } from './log-lines.js';

/** Pure views of the state that the reducer slices and the components share (what is where, how many rows). */

export function layoutOf(s: UiState): Layout {
  // While a plan runs the log gets more of the screen: its lines are what is happening.
  return computeLayout(s.cols, s.rows, s.listWant, s.logGrow + (s.run && (s.mode === 'running' || s.mode === 'cancel') ? 4 : 0));
}

export function selectedRow(s: UiState): StatusRow | undefined {
  const i = s.visible[s.cursor];
  return i === undefined ? undefined : s.items[i];
}

/** Help is laid out as lines; the panel scrolls over them. */
export function helpLineCount(s: UiState): number {
  return helpLines(s.info, s.cols, s.helpFilter).lines.length;
}

/** Rows of SQL in the preview: the panel's, less the detail lines about the selected row. */
export function previewRowsOf(s: UiState): number {
  const rows = layoutOf(s).previewRows;
  return Math.max(1, rows - rowDetail(selectedRow(s), rows, s.preview.absent).length);
}

/** The detail view's lines for this state (the panel draws the same). */
export function detailOf(s: UiState): DetailViewLine[] {
  const row = selectedRow(s);
  if (!row) return [];
  return detailLines(row, s.byVersion.get(row.version), s.detailDocs, s.history.status === 'ready' ? s.history.entries : null, layoutOf(s).fullInner, s.detailDiff);
}

/** Content rows of the full-height views (log, history, help, recovery guide, detail). */
export function fullRows(s: UiState): number {
  const l = layoutOf(s);
  return Math.max(1, l.main + l.log - 2);
}

/** Lines of journal entries the history view shows (one line goes to the column heading). */
export function historyRows(s: UiState): number {
  return Math.max(1, fullRows(s) - 1 - (s.history.none !== null ? 1 : 0));
}

/** The recovery guide's layout for this state (the panel draws the same). */
export function guideOf(s: UiState): GuideLayout {
  return guideLayout(s.recovery.diagnosis, recoveryItems(s), s.recovery.highlighted, fullRows(s), s.cols, 0);
}

/** Rows of the log: full height in the log view, the split's panel otherwise (one row goes to the search line). */
export function logViewRows(s: UiState): number {
  if (s.mode === 'log') return fullRows(s);
  return Math.max(1, layoutOf(s).logRows);
}

/** Rows of plan text above the confirmation line. */
export function planRows(s: UiState): number {
  const l = layoutOf(s);
  return Math.max(1, l.main - 2 - (s.plan ? confirmRows(s.plan, s.info.databaseName, l.fullInner) : 2));
}

/** The dry run's lines at this width (the panel draws the same). */
export function dryRunOf(s: UiState): DryRunLine[] {
  return s.dryRun ? dryRunLines(s.dryRun, layoutOf(s).fullInner) : [];
}

/** The log lines the log pane shows: all, or those matching the search while the log has the keys. */
export function logPool(s: UiState): LogLine[] {
  const active = s.mode === 'log' || s.focus === 'log';
  return searchLog(s.log.lines, active ? s.logSearch.query : '');
}

/** Rows the log's lines take, wrapped to its pane (the scroll range of the log). */
export function logRowTotal(s: UiState): number {
  return logRowCount(logPool(s), logTextWidth(layoutOf(s).cols));
}
