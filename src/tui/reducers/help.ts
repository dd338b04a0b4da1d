import type { Action, UiState } from '../state.js';

/** The help (?): open, close, and typing filters its rows. */
export function reduceHelp(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'help':
      if (a.open) return { ...s, mode: 'help', helpTop: 0, helpFilter: '' };
      return s.mode === 'help' ? { ...s, mode: 'normal' } : s;
    case 'help-type':
      return { ...s, helpFilter: s.helpFilter + a.text, helpTop: 0 };
    case 'help-backspace':
      return { ...s, helpFilter: [...s.helpFilter].slice(0, -1).join(''), helpTop: 0 };
    default:
      return undefined;
  }
}
