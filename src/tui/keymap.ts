import type { Intent } from '../engine/plan.js';
import type { Action, UiState } from './state.js';

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
  | { kind: 'say'; text: string };

const NONE: Command = { kind: 'none' };
const d = (action: Action): Command => ({ kind: 'dispatch', action });

/**
 * The single input router: the active layer gets the key (modal > focused panel > global).
 * Menus (cancel, recovery) are ink-select-input components that read j/k/enter themselves;
 * here they only get esc and ctrl-c.
 */
export function routeKey(s: UiState, input: string, key: KeyInfo): Command {
  const ctrlC = key.ctrl === true && input === 'c';
  if (s.quitting) return NONE;
  switch (s.mode) {
    case 'paused':
      if (input === ' ' || input === 'n' || key.return) return { kind: 'step-next' };
      if (input === 'c') return { kind: 'step-continue' };
      if (input === 's' || key.escape || input === 'q' || ctrlC) return { kind: 'step-stop' };
      if (input === 'L') return d({ type: 'log-view', open: true });
      return moveInList(input, key);
    case 'command':
      if (ctrlC || key.escape) return d({ type: 'command-close' });
      if (key.return) return { kind: 'command-submit' };
      if (key.tab) return { kind: 'command-complete' };
      if (key.backspace || key.delete) return s.command.value === '' ? d({ type: 'command-close' }) : d({ type: 'command-backspace' });
      if (printable(input, key)) return d({ type: 'command-type', text: input });
      return NONE;
    case 'detail':
      if (ctrlC || key.escape || input === 'q' || key.return) return d({ type: 'detail', open: false });
      if (input === 'j' || key.downArrow) return d({ type: 'detail-scroll', delta: 1 });
      if (input === 'k' || key.upArrow) return d({ type: 'detail-scroll', delta: -1 });
      if (key.pageDown || input === ' ') return d({ type: 'detail-scroll', delta: 10 });
      if (key.pageUp) return d({ type: 'detail-scroll', delta: -10 });
      if (input === 'g' || key.home) return d({ type: 'detail-scroll', delta: -1e9 });
      if (input === 'G' || key.end) return d({ type: 'detail-scroll', delta: 1e9 });
      if (input === 't') return { kind: 'goto-selected' };
      return NONE;
    case 'log':
      if (s.logSearch.typing) {
        if (ctrlC || key.escape) return d({ type: 'log-search', query: '', typing: false });
        if (key.return) return d({ type: 'log-search', typing: false });
        if (key.backspace || key.delete) return d({ type: 'log-search', query: [...s.logSearch.query].slice(0, -1).join(''), typing: true });
        if (printable(input, key)) return d({ type: 'log-search', query: s.logSearch.query + input, typing: true });
        return NONE;
      }
      if (ctrlC || input === 'x') return s.run ? { kind: 'cancel-menu' } : { kind: 'quit' };
      if (input === '/') return d({ type: 'log-search', query: '', typing: true });
      if (key.escape && s.logSearch.query) return d({ type: 'log-search', query: '', typing: false });
      if (key.escape || input === 'L' || input === 'q' || key.return) return d({ type: 'log-view', open: false });
      if (input === 'j' || key.downArrow) return d({ type: 'log-scroll', delta: 1 });
      if (input === 'k' || key.upArrow) return d({ type: 'log-scroll', delta: -1 });
      if (key.pageDown || input === ' ') return d({ type: 'log-page', pages: 1 });
      if (key.pageUp) return d({ type: 'log-page', pages: -1 });
      if (input === 'g' || key.home) return d({ type: 'log-to', where: 'oldest' });
      if (input === 'G' || key.end) return d({ type: 'log-to', where: 'newest' });
      return NONE;
    case 'history':
      if (ctrlC || input === 'x') return s.run ? { kind: 'cancel-menu' } : { kind: 'quit' };
      if (key.escape || input === 'H' || input === 'h' || input === 'q' || key.return) return d({ type: 'history-view', open: false });
      if (input === 'j' || key.downArrow) return d({ type: 'history-scroll', delta: 1 });
      if (input === 'k' || key.upArrow) return d({ type: 'history-scroll', delta: -1 });
      if (key.pageDown || input === ' ' || (key.ctrl && input === 'f')) return d({ type: 'history-page', pages: 1 });
      if (key.pageUp || (key.ctrl && input === 'b')) return d({ type: 'history-page', pages: -1 });
      if (input === 'g' || key.home) return d({ type: 'history-to', where: 'top' });
      if (input === 'G' || key.end) return d({ type: 'history-to', where: 'bottom' });
      if (input === 'r') return { kind: 'history-open' };
      return NONE;
    case 'running':
      if (ctrlC || input === 'x') return { kind: 'cancel-menu' };
      if (input === '+' || input === '=') return d({ type: 'log-grow', delta: 2 });
      if (input === '-') return d({ type: 'log-grow', delta: -2 });
      if (input === 'L') return d({ type: 'log-view', open: true });
      if (input === 'H') return { kind: 'history-open' };
      if (input === 'q') return { kind: 'say', text: 'A plan is running: x cancels it first (q quits once it has stopped).' };
      return moveInList(input, key);
    case 'cancel':
      if (ctrlC) return { kind: 'cancel-now' };
      if (key.escape) return d({ type: 'cancel-menu', open: false });
      return NONE;
    case 'recovery':
      if (ctrlC || input === 'q') return { kind: 'quit' };
      if (key.escape) return d({ type: 'recovery', open: false });
      // j/k, arrows, enter and digits belong to the menu; J/K and pgup/pgdn scroll the statement breakdown.
      if (input === 'J') return d({ type: 'recovery-scroll', delta: 1 });
      if (input === 'K') return d({ type: 'recovery-scroll', delta: -1 });
      if (key.pageDown) return d({ type: 'recovery-page', pages: 1 });
      if (key.pageUp) return d({ type: 'recovery-page', pages: -1 });
      return NONE;
    case 'help':
      // Typing filters the keys; G/g, pgup/pgdn and the arrows scroll to the real end.
      if (ctrlC) return { kind: 'quit' };
      // esc clears a typed filter first (re-opening the help resets it), then closes.
      if (key.escape) return d({ type: 'help', open: s.helpFilter !== '' });
      if (input === '?' || key.return) return d({ type: 'help', open: false });
      if (key.downArrow) return d({ type: 'plan-scroll', delta: 1 });
      if (key.upArrow) return d({ type: 'plan-scroll', delta: -1 });
      if (key.pageDown) return d({ type: 'plan-page', pages: 1 });
      if (key.pageUp) return d({ type: 'plan-page', pages: -1 });
      if (key.home || (input === 'g' && !s.helpFilter)) return d({ type: 'plan-to', where: 'top' });
      if (key.end || (input === 'G' && !s.helpFilter)) return d({ type: 'plan-to', where: 'bottom' });
      if (!s.helpFilter && (input === 'j' || input === 'k')) return d({ type: 'plan-scroll', delta: input === 'j' ? 1 : -1 });
      if (!s.helpFilter && input === 'q') return d({ type: 'help', open: false });
      if (key.backspace || key.delete) return d({ type: 'help-backspace' });
      if (printable(input, key)) return d({ type: 'help-type', text: input });
      return NONE;
    case 'filter':
      if (ctrlC) return { kind: 'quit' };
      if (key.escape) return d({ type: 'filter-close', keep: false });
      if (key.return) return d({ type: 'filter-close', keep: true });
      if (key.backspace || key.delete) return d({ type: 'filter-backspace' });
      if (key.downArrow) return d({ type: 'move', delta: 1 });
      if (key.upArrow) return d({ type: 'move', delta: -1 });
      if (key.pageDown) return d({ type: 'move-page', pages: 1 });
      if (key.pageUp) return d({ type: 'move-page', pages: -1 });
      if (printable(input, key)) return d({ type: 'filter-type', text: input });
      return NONE;
    case 'prompt':
      if (ctrlC) return { kind: 'quit' };
      if (key.escape) return d({ type: 'prompt-close' });
      if (key.return) return { kind: 'force-submit' };
      if (key.backspace || key.delete) return d({ type: 'prompt-backspace' });
      if (printable(input, key)) return d({ type: 'prompt-type', text: input });
      return NONE;
    case 'planning':
      if (ctrlC) return { kind: 'quit' };
      if (key.escape || input === 'q' || input === 'n') return { kind: 'abort-planning' };
      return NONE;
    case 'plan': {
      if (ctrlC) return { kind: 'quit' };
      const scroll = scrollPlan(input, key, s.plan?.confirm.kind === 'name');
      if (scroll) return scroll;
      if (s.plan?.confirm.kind === 'name') {
        if (key.escape) return { kind: 'decline' };
        if (key.return) return { kind: 'confirm' };
        if (key.backspace || key.delete) return d({ type: 'confirm-backspace' });
        if (printable(input, key)) return d({ type: 'confirm-type', text: input });
        return NONE;
      }
      if (input === 'y' || input === 'Y') return { kind: 'confirm' };
      if (input === 's' && s.plan && s.plan.steps.length + s.plan.moreSteps > 1) return { kind: 'step-confirm' };
      if (input === 'n' || input === 'N' || input === 'q' || key.escape || key.return) return { kind: 'decline' };
      return NONE;
    }
    case 'normal':
      break;
  }
  // normal mode
  if (ctrlC || input === 'q') return { kind: 'quit' };
  if (input === '?') return d({ type: 'help', open: true });
  if (input === 'L') return d({ type: 'log-view', open: true });
  if (input === 'H' || (input === 'h' && s.focus === 'list')) return { kind: 'history-open' };
  if (input === '/') return d({ type: 'filter-open' });
  if (input === 'r') return { kind: 'refresh' };
  if (input === 'u') return { kind: 'plan', intent: { kind: 'up', limit: 1 } };
  if (input === 'd') return { kind: 'plan', intent: { kind: 'down', limit: 1 } };
  if (input === 'U') return { kind: 'plan', intent: { kind: 'up' } };
  if (input === 'D') return { kind: 'plan', intent: { kind: 'down' } };
  if (input === 'f') return { kind: 'force' };
  if (input === 'F') return { kind: 'forget' };
  if (input === 'R') return { kind: 'repair' };
  if (input === 't') return { kind: 'goto-selected' };
  if (key.return) return { kind: 'detail-open' };
  if (input === ':') return d({ type: 'command-open' });
  if (input === '+' || input === '=') return d({ type: 'log-grow', delta: 2 });
  if (input === '-') return d({ type: 'log-grow', delta: -2 });
  if (key.escape) {
    if (s.focus === 'sql') return d({ type: 'focus', focus: 'list' });
    if (s.filter) return d({ type: 'filter-close', keep: false });
    return NONE;
  }
  return browse(s, input, key);
}

/** Moving around, allowed while idle and while a plan runs. */
function browse(s: UiState, input: string, key: KeyInfo): Command {
  if (key.tab) return d({ type: 'tab' });
  if (s.focus === 'list' && (input === 'l' || key.rightArrow)) return d({ type: 'focus', focus: 'sql' });
  if (s.focus === 'sql' && (input === 'h' || key.leftArrow)) return s.previewLeft > 0 ? d({ type: 'preview-left', delta: -8 }) : d({ type: 'focus', focus: 'list' });
  if (s.focus === 'sql' && (input === 'l' || key.rightArrow)) return d({ type: 'preview-left', delta: 8 });
  if (s.focus === 'sql' && key.escape) return d({ type: 'focus', focus: 'list' });
  if (s.focus === 'sql') {
    if (input === 'j' || key.downArrow) return d({ type: 'preview-scroll', delta: 1 });
    if (input === 'k' || key.upArrow) return d({ type: 'preview-scroll', delta: -1 });
    if (key.pageDown || input === ' ' || (key.ctrl && input === 'f')) return d({ type: 'preview-page', pages: 1 });
    if (key.pageUp || (key.ctrl && input === 'b')) return d({ type: 'preview-page', pages: -1 });
    if (input === 'g' || key.home) return d({ type: 'preview-to', where: 'top' });
    if (input === 'G' || key.end) return d({ type: 'preview-to', where: 'bottom' });
    return NONE;
  }
  const move = moveInList(input, key);
  if (move.kind !== 'none') return move;
  // J/K scroll the SQL without leaving the list.
  if (input === 'J') return d({ type: 'preview-scroll', delta: 1 });
  if (input === 'K') return d({ type: 'preview-scroll', delta: -1 });
  return NONE;
}

/** List movement only (also while a plan runs: the list shows its markers change). */
function moveInList(input: string, key: KeyInfo): Command {
  if (input === 'j' || key.downArrow) return d({ type: 'move', delta: 1 });
  if (input === 'k' || key.upArrow) return d({ type: 'move', delta: -1 });
  if (key.pageDown || (key.ctrl && input === 'f')) return d({ type: 'move-page', pages: 1 });
  if (key.pageUp || (key.ctrl && input === 'b')) return d({ type: 'move-page', pages: -1 });
  if (input === 'g' || key.home) return d({ type: 'move-to', where: 'top' });
  if (input === 'G' || key.end) return d({ type: 'move-to', where: 'bottom' });
  return NONE;
}

function scrollPlan(input: string, key: KeyInfo, typing: boolean): Command | null {
  if (key.downArrow || (!typing && input === 'j')) return d({ type: 'plan-scroll', delta: 1 });
  if (key.upArrow || (!typing && input === 'k')) return d({ type: 'plan-scroll', delta: -1 });
  if (key.pageDown || (!typing && input === ' ')) return d({ type: 'plan-page', pages: 1 });
  if (key.pageUp) return d({ type: 'plan-page', pages: -1 });
  if (key.home || (!typing && input === 'g')) return d({ type: 'plan-to', where: 'top' });
  if (key.end || (!typing && input === 'G')) return d({ type: 'plan-to', where: 'bottom' });
  return null;
}

function printable(input: string, key: KeyInfo): boolean {
  if (key.ctrl || key.meta || key.tab || key.return || key.escape) return false;
  if (input === '') return false;
  // Pasted text arrives as one input; keep its printable characters.
  return !/[\u0000-\u001f\u007f]/.test(input);
}

