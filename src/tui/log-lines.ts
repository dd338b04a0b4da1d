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
