import type { Action, UiState } from '../state.js';

/** Typing in the help filters its rows. */
export function reduceHelp(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'help-type':
      return { ...s, helpFilter: s.helpFilter + a.text, planTop: 0 };
    case 'help-backspace':
      return { ...s, helpFilter: [...s.helpFilter].slice(0, -1).join(''), planTop: 0 };
    default:
      return undefined;
  }
}
