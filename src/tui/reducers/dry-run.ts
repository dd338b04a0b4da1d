import type { Action, UiState } from '../state.js';

/** The dry run of the plan on screen: it opens over the plan and closes back to it, the plan unchanged. */
export function reduceDryRun(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'dry-run-start':
      return s.mode === 'plan' && s.plan ? { ...s, mode: 'dry-run', dryRun: { status: 'running', title: a.title, steps: [], error: null, top: 0 } } : s;
    case 'dry-run-done':
      return s.dryRun ? { ...s, dryRun: { ...s.dryRun, status: a.error ? 'error' : 'done', steps: a.steps, error: a.error } } : s;
    case 'dry-run-close':
      return s.mode === 'dry-run' && s.dryRun?.status !== 'running' ? { ...s, mode: s.plan ? 'plan' : 'normal', dryRun: null } : s;
    default:
      return undefined;
  }
}
