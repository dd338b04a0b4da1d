import type { KeyInfo } from './command.js';

/** One key as the router reads it. */
export interface KeyPress {
  input: string;
  key: KeyInfo;
}

/**
 * Ink hands useInput everything one read held between escape sequences as one string: `jjjj` from
 * autorepeat, a paste, or SSH batching. Each character is a key of its own, handled in order; escape
 * sequences (arrows, alt+key) already arrive whole and pass through unchanged.
 */
export function splitKeys(input: string, key: KeyInfo): KeyPress[] {
  const chars = [...input];
  if (chars.length <= 1 || key.meta || key.escape) return [{ input, key }];
  return chars.map(charKey);
}

function charKey(ch: string): KeyPress {
  const code = ch.codePointAt(0)!;
  if (ch === '\r' || ch === '\n') return { input: '', key: { return: true } };
  if (ch === '\t') return { input: '', key: { tab: true } };
  if (ch === '\u007f' || ch === '\b') return { input: '', key: { backspace: true } };
  // ctrl-a … ctrl-z arrive as 0x01 … 0x1a; Ink reports them as the letter with ctrl set.
  if (code >= 1 && code <= 26) return { input: String.fromCharCode(code + 96), key: { ctrl: true } };
  if (code < 32) return { input: '', key: {} };
  return { input: ch, key: /^[A-Z]$/.test(ch) ? { shift: true } : {} };
}
