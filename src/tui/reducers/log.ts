import type { Action, UiState } from '../state.js';

/** Log search and how many rows the split gives the log. */
export function reduceLogExtras(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
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
