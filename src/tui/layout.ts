/** Where everything goes for a terminal of cols x rows. Pure; the rendered frame is exactly rows - 1 lines. */
export interface Layout {
  cols: number;
  rows: number;
  tooSmall: boolean;
  /** Lines of the frame: rows - 1 (a frame as tall as the terminal makes Ink redraw everything). */
  height: number;
  header: number;
  footer: number;
  /** Outer heights (title line + content + bottom border). */
  main: number;
  log: number;
  listWidth: number;
  previewWidth: number;
  /** Content rows inside the panels. */
  listRows: number;
  previewRows: number;
  logRows: number;
  /** Content columns inside the panels (borders excluded). */
  listInner: number;
  previewInner: number;
  fullInner: number;
}

export const MIN_COLS = 50;
export const MIN_ROWS = 14;
const HEADER = 2;
const FOOTER = 1;

/** listWant: the width the list would like (from the longest version and name), borders included. */
/** logExtra: rows the log takes from the panels above it (+/-, and more while a plan runs); the panels keep 8. */
export function computeLayout(cols: number, rows: number, listWant = 40, logExtra = 0): Layout {
  const c = Math.max(1, Math.floor(cols));
  const r = Math.max(2, Math.floor(rows));
  const height = r - 1;
  const tooSmall = c < MIN_COLS || r < MIN_ROWS;
  const body = Math.max(0, height - HEADER - FOOTER);
  const base = clamp(Math.round(body * 0.28), 4, 14);
  const log = Math.max(base, Math.min(base + Math.max(0, logExtra), body - 8));
  const main = Math.max(3, body - log);
  const listWidth = clamp(listWant, 28, Math.max(28, Math.floor(c * 0.45)));
  const previewWidth = Math.max(10, c - listWidth);
  return {
    cols: c,
    rows: r,
    tooSmall,
    height,
    header: HEADER,
    footer: FOOTER,
    main,
    log,
    listWidth,
    previewWidth,
    listRows: Math.max(1, main - 2),
    previewRows: Math.max(1, main - 2),
    logRows: Math.max(1, log - 2),
    listInner: Math.max(1, listWidth - 2),
    previewInner: Math.max(1, previewWidth - 2),
    fullInner: Math.max(1, c - 2),
  };
}

export function clamp(n: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, n));
}
