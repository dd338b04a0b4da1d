import type { Action, UiState } from './state.js';
import { reducer } from './reducer.js';

export type AfterDispatch = (prev: UiState, next: UiState, action: Action) => void;

/**
 * The one place UI state lives. dispatch() applies the pure reducer at once; subscribers (React)
 * hear about it once per microtask, so a burst of actions from one event draws one frame.
 * The after-hook runs synchronously after each change (the controller derives effects from it).
 */
export class Store {
  private state: UiState;
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  private after: AfterDispatch | undefined;

  constructor(initial: UiState) {
    this.state = initial;
  }

  getState = (): UiState => this.state;

  setAfterDispatch(fn: AfterDispatch | undefined): void {
    this.after = fn;
  }

  dispatch = (action: Action): void => {
    const prev = this.state;
    const next = reducer(prev, action);
    if (next === prev) return;
    this.state = next;
    this.after?.(prev, next, action);
    this.schedule();
  };

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const l of [...this.listeners]) l();
    });
  }
}
