import type { Action, UiState } from '../state.js';

/** What a run adds to the screen beyond progress: the running statement, and step mode's pause. */
export function reduceRunExtras(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'run-sql':
      return s.run ? { ...s, run: { ...s.run, sql: a.sql } } : s;
    case 'pause':
      if (a.pause) return { ...s, pause: a.pause, mode: s.mode === 'running' || s.mode === 'cancel' || s.mode === 'normal' ? 'paused' : s.mode };
      return { ...s, pause: null, mode: s.mode === 'paused' ? 'normal' : s.mode };
    case 'guard':
      return s.guarded === a.on ? s : { ...s, guarded: a.on };
    default:
      return undefined;
  }
}
