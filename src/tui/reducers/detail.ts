import type { Action, UiState } from '../state.js';

/** The selected migration's detail (enter). */
export function reduceDetail(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'detail':
      if (a.open) return s.mode === 'normal' ? { ...s, mode: 'detail', detailTop: 0, detailDocs: { up: null, down: null }, detailDiff: null } : s;
      return s.mode === 'detail' ? { ...s, mode: 'normal' } : s;
    case 'detail-diff':
      return s.mode === 'detail' ? { ...s, detailDiff: a.diff } : s;
    case 'detail-docs':
      return { ...s, detailDocs: { up: a.up, down: a.down } };
    default:
      return undefined;
  }
}
