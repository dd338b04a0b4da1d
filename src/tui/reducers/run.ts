import type { Action, StepResult, UiState } from '../state.js';

/** A plan running: progress, the running statement, cancel, and step mode's pause. */
export function reduceRun(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'run-start':
      return {
        ...s,
        mode: 'running',
        plan: null,
        run: {
          title: a.title,
          labels: a.labels,
          started: false,
          running: false,
          index: 0,
          startedAt: a.now,
          stepStartedAt: a.now,
          results: [],
          lockWait: null,
          stopRequested: false,
          cancelSent: false,
          completed: 0,
          versions: a.versions ?? [],
          targets: a.targets ?? [],
          sql: null,
          stepMode: a.stepMode ?? false,
          offset: a.offset ?? 0,
        },
        now: a.now,
      };
    case 'run-lock-wait':
      return s.run ? { ...s, run: { ...s.run, lockWait: a.holder } } : s;
    case 'run-progress': {
      if (!s.run) return s;
      const results: StepResult[] = a.results.length === 0 ? s.run.results : [...s.run.results, ...a.results].slice(-200);
      return {
        ...s,
        now: a.now,
        run: { ...s.run, results, started: a.started, running: a.running ?? a.started, completed: a.completed, index: a.index, stepStartedAt: a.stepStartedAt },
      };
    }
    case 'run-sql':
      return s.run ? { ...s, run: { ...s.run, sql: a.sql } } : s;
    case 'failure':
      return { ...s, failure: a.failure };
    case 'run-stop-requested':
      return s.run ? { ...s, mode: s.mode === 'cancel' ? 'running' : s.mode, run: { ...s.run, stopRequested: true } } : s;
    case 'run-cancel-sent':
      return s.run ? { ...s, mode: s.mode === 'cancel' ? 'running' : s.mode, run: { ...s.run, stopRequested: true, cancelSent: true } } : s;
    case 'run-end':
      return { ...s, mode: s.mode === 'running' || s.mode === 'cancel' ? (s.pause ? 'paused' : 'normal') : s.mode, logReturn: 'normal', historyReturn: 'normal', run: null };
    case 'cancel-menu':
      if (a.open) return s.mode === 'running' || ((s.mode === 'log' || s.mode === 'history') && s.run) ? { ...s, mode: 'cancel' } : s;
      return s.mode === 'cancel' ? { ...s, mode: s.run ? 'running' : 'normal' } : s;
    case 'pause':
      if (a.pause) return { ...s, pause: a.pause, mode: s.mode === 'running' || s.mode === 'cancel' || s.mode === 'normal' ? 'paused' : s.mode };
      return { ...s, pause: null, mode: s.mode === 'paused' ? 'normal' : s.mode };
    case 'guard':
      return s.guarded === a.on ? s : { ...s, guarded: a.on };
    case 'tick':
      return { ...s, now: a.now };
    default:
      return undefined;
  }
}
