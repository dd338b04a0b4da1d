import type { Command } from './command.js';
import type { Pane } from './pane.js';
import type { UiState } from './state.js';
import { layoutOf } from './view.js';

/** An SGR mouse report as Ink hands it to useInput (its ESC already stripped): `[<65;12;7M`. */
const SGR = /^\x1b?\[<(\d+);(\d+);(\d+)([Mm])$/;

export interface MouseEvent {
  button: number;
  /** 1-based cell, as the terminal reports it. */
  x: number;
  y: number;
}

export function parseMouse(input: string): MouseEvent | null {
  const m = SGR.exec(input);
  return m ? { button: Number(m[1]), x: Number(m[2]), y: Number(m[3]) } : null;
}

const WHEEL_UP = 64;
const WHEEL_DOWN = 65;
const LINES = 3;

const FULL_PANE: Partial<Record<UiState['mode'], Pane>> = { plan: 'plan', help: 'help', log: 'log', history: 'history', detail: 'detail', recovery: 'recovery' };

/**
 * The wheel scrolls the pane under the pointer (never required: every pane scrolls from the keyboard too).
 * Clicks do nothing. Full-height views scroll wherever the pointer is; in the split it is the list, the SQL or the log.
 */
export function mouseCommand(s: UiState, e: MouseEvent): Command {
  if (e.button !== WHEEL_UP && e.button !== WHEEL_DOWN) return { kind: 'none' };
  const lines = e.button === WHEEL_UP ? -LINES : LINES;
  const full = FULL_PANE[s.mode];
  if (full) return scroll(full, lines);
  if (s.mode !== 'normal' && s.mode !== 'running' && s.mode !== 'paused' && s.mode !== 'filter') return { kind: 'none' };
  const l = layoutOf(s);
  const row = e.y - 1 - l.header;
  if (row < 0) return { kind: 'none' };
  if (row >= l.main) return row < l.main + l.log ? scroll('log', lines) : { kind: 'none' };
  if (e.x - 1 < l.listWidth) return { kind: 'dispatch', action: { type: 'move', delta: lines } };
  // The right pane is the SQL unless a run or a step pause has it.
  return s.mode === 'normal' || s.mode === 'filter' ? scroll('preview', lines) : { kind: 'none' };
}

function scroll(pane: Pane, lines: number): Command {
  return { kind: 'dispatch', action: { type: 'scroll', pane, by: { lines } } };
}
