import type { Notice } from '../db/session.js';

export type LogKind = 'notice' | 'warning' | 'info' | 'step' | 'error' | 'hint' | 'action' | 'ok';

/** One line of the live log (always a single terminal line; newlines are shown as ⏎). */
export interface LogLine {
  id: number;
  kind: LogKind;
  text: string;
  /** Wall-clock time it was logged (ms since the epoch). */
  at: number;
}

export type LogEntry = Omit<LogLine, 'id' | 'at'>;

/** "14:03:27": the log's time column (local time, as the user's clock shows it). */
export function clock(at: number): string {
  const d = new Date(at);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
}

/** Log lines that contain the query (any case). */
export function searchLog(lines: LogLine[], query: string): LogLine[] {
  if (!query) return lines;
  const q = query.toLowerCase();
  return lines.filter((l) => l.text.toLowerCase().includes(q));
}

export function noticeEntry(n: Notice): LogEntry {
  const sev = n.severity.toUpperCase();
  const kind: LogKind = sev === 'WARNING' ? 'warning' : sev === 'NOTICE' || sev === 'INFO' || sev === 'LOG' || sev === 'DEBUG' ? 'notice' : 'notice';
  let text = `${sev}: ${n.message}`;
  if (n.detail) text += ` (detail: ${n.detail})`;
  if (n.hint) text += ` (hint: ${n.hint})`;
  return { kind, text: oneLine(text) };
}

/** One terminal line: newlines shown as ⏎, tabs as spaces, other control characters (ESC, CR) dropped. */
export function oneLine(text: string): string {
  if (!/[\u0000-\u001f\u007f\u2028\u2029]/.test(text)) return text;
  return text
    .replace(/\r?\n|\u2028|\u2029/g, ' ⏎ ')
    .replace(/\t/g, '  ')
    .replace(/[\u0000-\u001f\u007f]/g, '');
}

/** The time column: "14:03:27 ". Wrapped rows of a line are indented by as much, under its text. */
export const CLOCK_WIDTH = 9;

/**
 * A line's text cut into rows of at most `width` characters, at spaces where it can (a word longer
 * than a row is cut inside it); spacing inside a row is kept. Nothing is dropped.
 */
export function wrapRows(text: string, width: number): string[] {
  const w = Math.max(1, width);
  if (text.length <= w) return [text];
  const rows: string[] = [];
  let rest = text;
  while (rest.length > w) {
    const space = rest.lastIndexOf(' ', w);
    const cut = space > 0 ? space : w;
    rows.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '' || rows.length === 0) rows.push(rest);
  return rows;
}

const wrapped = new WeakMap<LogLine, { width: number; rows: string[] }>();

/** A log line's rows at this text width (cached per line: lines never change). */
export function logRows(line: LogLine, width: number): string[] {
  const c = wrapped.get(line);
  if (c && c.width === width) return c.rows;
  const rows = wrapRows(line.text, width);
  wrapped.set(line, { width, rows });
  return rows;
}

/** Rows all these lines take at this text width. */
export function logRowCount(lines: LogLine[], width: number): number {
  let n = 0;
  for (const l of lines) n += logRows(l, width).length;
  return n;
}

export interface LogRow {
  line: LogLine;
  /** Which of the line's rows (0: the one with its time). */
  part: number;
  text: string;
}

/**
 * The rows on screen: `height` rows ending `back` rows above the newest. Walks back from the newest line
 * only as far as it must, so a long log costs what is shown.
 */
export function logWindow(lines: LogLine[], width: number, back: number, height: number): { rows: LogRow[]; first: number; last: number } {
  const out: LogRow[] = [];
  let skip = back;
  let first = lines.length;
  let last = -1;
  for (let i = lines.length - 1; i >= 0 && out.length < height; i--) {
    const rows = logRows(lines[i]!, width);
    for (let p = rows.length - 1; p >= 0 && out.length < height; p--) {
      if (skip > 0) {
        skip--;
        continue;
      }
      out.push({ line: lines[i]!, part: p, text: rows[p]! });
      first = i;
      if (last < 0) last = i;
    }
  }
  return { rows: out.reverse(), first, last };
}

/** Characters of a log line's text per row, in a log pane this wide (borders and the time column taken off). */
export function logTextWidth(width: number): number {
  return Math.max(8, width - 2 - CLOCK_WIDTH);
}
