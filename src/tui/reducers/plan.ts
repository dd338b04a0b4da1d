import type { Action, UiState } from '../state.js';

/** Asking for a plan (the force prompt, planning), the plan on screen and its typed confirmation. */
export function reducePlan(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'prompt-open':
      return { ...s, mode: 'prompt', prompt: { value: a.value ?? '', error: null, hint: a.hint } };
    case 'prompt-type':
      return { ...s, prompt: { ...s.prompt, value: s.prompt.value + a.text, error: null } };
    case 'prompt-backspace':
      return { ...s, prompt: { ...s.prompt, value: [...s.prompt.value].slice(0, -1).join(''), error: null } };
    case 'prompt-error':
      return { ...s, prompt: { ...s.prompt, error: a.message } };
    case 'prompt-close':
      return s.mode === 'prompt' ? { ...s, mode: 'normal' } : s;
    case 'planning':
      return { ...s, mode: 'planning', planningLabel: a.label };
    case 'plan-ready':
      return { ...s, mode: 'plan', plan: a.plan, planTop: 0, confirmInput: '', confirmError: null };
    case 'confirm-type':
      return { ...s, confirmInput: s.confirmInput + a.text, confirmError: null };
    case 'confirm-backspace':
      return { ...s, confirmInput: [...s.confirmInput].slice(0, -1).join(''), confirmError: null };
    case 'confirm-error':
      return { ...s, confirmError: a.message };
    case 'plan-close':
      return { ...s, mode: s.mode === 'plan' || s.mode === 'planning' ? 'normal' : s.mode, plan: null, confirmInput: '', confirmError: null };
    default:
      return undefined;
  }
}
