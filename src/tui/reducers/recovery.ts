import { initialDetailTop } from '../recovery-lines.js';
import type { Action, UiState } from '../state.js';
import { guideOf } from '../view.js';

/** The dirty-database guide (golang-migrate) or the failed-row panel (set-tracking tools). */
export function reduceRecovery(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
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
    default:
      return undefined;
  }
}
