import type { Action, UiState } from '../state.js';
import { clampPane } from '../scroll.js';

/** The history view (H): the journal, newest first. */
export function reduceHistory(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
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
      return clampPane({ ...s, history }, 'history');
    }
    default:
      return undefined;
  }
}
