import type { Action, UiState } from '../state.js';

/** The : command line (k9s). */
export function reduceCommand(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'command-open':
      return s.mode === 'normal' ? { ...s, mode: 'command', command: { value: a.value ?? '', error: null } } : s;
    case 'command-type':
      return { ...s, command: { value: s.command.value + a.text, error: null } };
    case 'command-backspace':
      return { ...s, command: { value: [...s.command.value].slice(0, -1).join(''), error: null } };
    case 'command-set':
      return { ...s, command: { value: a.value, error: null } };
    case 'command-error':
      return { ...s, command: { ...s.command, error: a.message } };
    case 'command-close':
      return s.mode === 'command' ? { ...s, mode: 'normal' } : s;
    default:
      return undefined;
  }
}
