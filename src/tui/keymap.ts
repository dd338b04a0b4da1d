import type { UiState } from './state.js';
import type { Command, KeyInfo } from './command.js';
import { layerOf } from './key-table.js';

const NONE: Command = { kind: 'none' };

/**
 * The single input router: the layer on screen gets the key, as key-table.ts says (modal > focused pane > global).
 * Menus (cancel, recovery) are ink-select-input components that read j/k/enter themselves.
 */
export function routeKey(s: UiState, input: string, key: KeyInfo): Command {
  if (s.quitting) return NONE;
  const layer = layerOf(s);
  const name = keyName(input, key);
  for (const b of layer.keys) if (b.keys.includes(name) && (b.when?.(s) ?? true)) return b.run(s);
  if (layer.typing && printable(input, key)) return layer.typing(s, input);
  return NONE;
}

/** The table's name for a key: 'j', 'G', 'down', 'pgdn', 'enter', 'esc', 'tab', 'backspace', 'space', 'ctrl-c'. */
export function keyName(input: string, key: KeyInfo): string {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.leftArrow) return 'left';
  if (key.rightArrow) return 'right';
  if (key.pageUp) return 'pgup';
  if (key.pageDown) return 'pgdn';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'esc';
  if (key.tab) return 'tab';
  if (key.backspace || key.delete) return 'backspace';
  if (key.ctrl) return `ctrl-${input}`;
  if (input === ' ') return 'space';
  return input;
}

function printable(input: string, key: KeyInfo): boolean {
  if (key.ctrl || key.meta || key.tab || key.return || key.escape) return false;
  if (input === '') return false;
  // Pasted text arrives as one input; keep its printable characters.
  return !/[\u0000-\u001f\u007f]/.test(input);
}
