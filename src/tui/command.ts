import type { Intent } from '../engine/plan.js';
import type { Action } from './state.js';

/** The parts of Ink's Key this router reads (so it stays a pure, testable function). */
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
}

/** What a key asks for: a pure state change, or an effect the controller carries out. */
export type Command =
  | { kind: 'none' }
  | { kind: 'dispatch'; action: Action }
  | { kind: 'plan'; intent: Intent }
  | { kind: 'goto-selected' }
  /** golang-migrate: type a version (or open the recovery guide); set-tracking tools: force the selected row. */
  | { kind: 'force' }
  | { kind: 'force-submit' }
  /** Record the selected row as not applied, running nothing. */
  | { kind: 'forget' }
  /** The tool's repair. */
  | { kind: 'repair' }
  | { kind: 'confirm' }
  /** Run the plan on screen in step mode (pause after each step). */
  | { kind: 'step-confirm' }
  | { kind: 'step-next' }
  | { kind: 'step-continue' }
  | { kind: 'step-stop' }
  | { kind: 'command-submit' }
  | { kind: 'command-complete' }
  | { kind: 'detail-open' }
  | { kind: 'decline' }
  | { kind: 'abort-planning' }
  | { kind: 'cancel-menu' }
  | { kind: 'cancel-now' }
  | { kind: 'refresh' }
  | { kind: 'history-open' }
  | { kind: 'quit' }
  /** Record pending migrations as applied without running them (b: those whose effects are all in the database). */
  | { kind: 'baseline'; version?: string }
  /** Rehearse the plan on screen in a rolled-back transaction. */
  | { kind: 'dry-run' }
  /** The recovery guide, asked for. */
  | { kind: 'recover' }
  | { kind: 'say'; text: string };
