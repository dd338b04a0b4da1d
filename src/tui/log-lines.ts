import type { Notice } from '../db/session.js';

export type LogKind = 'notice' | 'warning' | 'info' | 'step' | 'error' | 'hint' | 'action' | 'ok';

/** One line of the live log (always a single terminal line; newlines are shown as ⏎). */
export interface LogLine {
  id: number;
  kind: LogKind;
  text: string;
}

export type LogEntry = Omit<LogLine, 'id'>;

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
