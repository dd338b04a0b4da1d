import type { Action, UiState } from '../state.js';
import { logViewRows } from '../view.js';

/** The log: its lines, the full-height view (L), search, and how many rows the split gives it. */
export function reduceLog(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'log-view':
      if (a.open) return s.mode === 'normal' || s.mode === 'running' ? { ...s, mode: 'log', logReturn: s.mode, logBack: 0 } : s;
      return s.mode === 'log' ? { ...s, mode: s.logReturn === 'running' && s.run ? 'running' : 'normal', logBack: 0 } : s;
    case 'log': {
      // Scrolled back: keep the same lines in view as new ones arrive (the panel says it stopped following).
      const added = a.total - s.log.total;
      const logBack = s.logBack > 0 ? Math.min(s.logBack + added, Math.max(0, a.lines.length - logViewRows(s))) : 0;
      return { ...s, log: { lines: a.lines, total: a.total }, logBack };
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
