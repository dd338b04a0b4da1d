import type { JournalEntry, JournalOutcome } from '../engine/journal.js';

/** One line of the history view: an entry, or the error under a failed one. */
export interface HistoryLine {
  key: string;
  kind: 'entry' | 'error';
  outcome: JournalOutcome;
  text: string;
}

export const OUTCOME_MARK: Record<JournalOutcome, string> = {
  ok: '✓',
  failed: '✗',
  cancelled: '■',
  interrupted: '!',
  running: '…',
};

/** "up 3 users" / "force 2". */
export function entryStep(e: JournalEntry): string {
  return e.direction === 'force' ? `force ${e.version}` : `${e.direction} ${e.version}${e.name ? ` ${e.name}` : ''}`;
}

export function durationText(ms: number | null, outcome: JournalOutcome): string {
  if (ms === null) return outcome === 'running' ? 'running' : '';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${Math.round((ms % 60_000) / 1000)}s`;
}

/** "line 7:12" (or "" when the journal has no position). */
export function errorWhere(line: number | null, column: number | null): string {
  return line ? `line ${line}${column ? `:${column}` : ''}` : '';
}

/** Lines the view has for these entries: one per entry, plus one per entry with an error (independent of the width). */
export function historyLineCount(entries: JournalEntry[]): number {
  let n = 0;
  for (const e of entries) n += e.error ? 2 : 1;
  return n;
}

/**
 * The journal as the history view shows it: time, outcome, step, duration, who; failures get a second
 * line with the error and where in the file it happened. Columns are sized for `width` (the panel's
 * inner width) so that at 80 columns only the tail (who, the error text) is cut.
 */
export function historyLines(entries: JournalEntry[], width: number): HistoryLine[] {
  return historyTable(entries, width).lines;
}

/** The column heading and the lines, sized together. */
export function historyTable(entries: JournalEntry[], width: number): { header: string; lines: HistoryLine[] } {
  const wide = width >= 110;
  const time = (e: JournalEntry) => (wide ? e.startedAt.slice(0, 19) : e.startedAt.slice(5, 19));
  const timeW = wide ? 19 : 14;
  const idW = wide ? Math.max(...entries.map((e) => String(e.id).length), 1) + 2 : 0;
  const durs = entries.map((e) => durationText(e.durationMs, e.outcome));
  const durW = Math.max(...durs.map((d) => d.length), 4);
  const steps = entries.map(entryStep);
  const fixed = idW + timeW + 1 + 2 + 11 + 1 + 1 + durW + 2;
  const stepRoom = Math.max(10, width - fixed - 14);
  const stepW = Math.min(Math.max(...steps.map((x) => x.length), 4), stepRoom, 40);
  const header = `${wide ? '#'.padEnd(idW) : ''}${'started'.padEnd(timeW)}   ${'outcome'.padEnd(11)} ${'step'.padEnd(stepW)} ${'took'.padStart(durW)}  by`;
  const out: HistoryLine[] = [];
  entries.forEach((e, i) => {
    const step = cut(steps[i]!, stepW).padEnd(stepW);
    const id = wide ? `#${e.id}`.padEnd(idW) : '';
    const who = `${e.dbUser}${e.applicationName ? `/${e.applicationName}` : ''}`;
    const text = `${id}${time(e).padEnd(timeW)} ${OUTCOME_MARK[e.outcome]} ${e.outcome.padEnd(11)} ${step} ${durs[i]!.padStart(durW)}  ${who}`;
    out.push({ key: `e${e.id}`, kind: 'entry', outcome: e.outcome, text });
    if (e.error) {
      const where = errorWhere(e.errorLine, e.errorColumn);
      const state = e.sqlstate ? ` (SQLSTATE ${e.sqlstate})` : '';
      out.push({ key: `x${e.id}`, kind: 'error', outcome: e.outcome, text: `${' '.repeat(idW)}  └ ${where ? `${where}: ` : ''}${oneLine(e.error)}${state}` });
    }
  });
  return { header, lines: out };
}

function cut(s: string, w: number): string {
  return [...s].length <= w ? s : `${[...s].slice(0, Math.max(0, w - 1)).join('')}…`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
