import type { Action, UiState } from '../state.js';
import { layoutOf, logPool, logRowTotal, logViewRows } from '../view.js';
import { logRowCount, logTextWidth } from '../log-lines.js';

/** The log: its lines, the full-height view (L), search, and how many rows the split gives it. */
export function reduceLog(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'log-view':
      if (a.open) return s.mode === 'normal' || s.mode === 'running' ? { ...s, mode: 'log', logReturn: s.mode, logBack: 0 } : s;
      return s.mode === 'log' ? { ...s, mode: s.logReturn === 'running' && s.run ? 'running' : 'normal', logBack: 0 } : s;
    case 'log': {
      // Scrolled back: keep the same rows in view as new lines arrive (the panel says it stopped following).
      const t: UiState = { ...s, log: { lines: a.lines, total: a.total } };
      if (s.logBack === 0) return { ...t, logBack: 0 };
      const newest = s.log.lines[s.log.lines.length - 1]?.id ?? -1;
      const added = logRowCount(logPool(t).filter((l) => l.id > newest), logTextWidth(layoutOf(t).cols));
      return { ...t, logBack: Math.min(s.logBack + added, Math.max(0, logRowTotal(t) - logViewRows(t))) };
    }
    case 'log-search':
      return { ...s, logSearch: { query: a.query ?? s.logSearch.query, typing: a.typing } };
    case 'log-grow': {
      const logGrow = Math.max(0, Math.min(s.logGrow + a.delta, Math.max(0, s.rows - 14)));
      return logGrow === s.logGrow ? s : { ...s, logGrow };
    }
    default:
      return undefined;
  }
}
