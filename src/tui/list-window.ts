import { clamp } from './layout.js';

/**
 * The first row to draw so that the cursor stays visible, moving the window as little as possible
 * (like less / lazygit): only `height` rows are ever rendered, whatever the list's length.
 */
export function windowTop(count: number, cursor: number, top: number, height: number): number {
  if (count <= height) return 0;
  let t = clamp(top, 0, count - height);
  if (cursor < t) t = cursor;
  else if (cursor >= t + height) t = cursor - height + 1;
  return clamp(t, 0, count - height);
}

/** Moves a cursor by delta within [0, count), or to 0 when the list is empty. */
export function moveCursor(count: number, cursor: number, delta: number): number {
  if (count <= 0) return 0;
  return clamp(cursor + delta, 0, count - 1);
}

/** A scroll offset for a view of `height` lines over `total` lines. */
export function scrollTo(total: number, height: number, top: number): number {
  return clamp(top, 0, Math.max(0, total - height));
}
