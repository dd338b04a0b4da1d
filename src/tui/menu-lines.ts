import { wrapLines } from './text.js';

/** A menu item's label as lines: "1. label" wrapped to the menu's width (the ❯ column excluded), continuation lines under the text. */
export function menuItemLines(index: number, label: string, width: number): string[] {
  const prefix = `${index + 1}. `;
  const room = Math.max(8, width - 2 - prefix.length);
  return wrapLines(label, room, Number.MAX_SAFE_INTEGER).map((l, i) => (i === 0 ? prefix : ' '.repeat(prefix.length)) + l);
}

/** Rows a menu of these labels takes at this width: every item whole. */
export function menuRows(labels: string[], width: number): number {
  return labels.reduce((n, l, i) => n + menuItemLines(i, l, width).length, 0);
}
