import type { JournalEntry, JournalOutcome } from '../engine/journal.js';
import { shownOutcome } from '../engine/journal-outcome.js';
import type { AppliedMigration } from '../formats/driver.js';

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
  return e.direction === 'force' ? (e.name || `force ${e.version}`) : `${e.direction} ${e.version}${e.name ? ` ${e.name}` : ''}`;
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
  const outcomes = entries.map(shownOutcome);
  const outW = Math.max(11, ...outcomes.map((o) => o.length));
  const fixed = idW + timeW + 1 + 2 + outW + 1 + 1 + durW + 2;
  const stepRoom = Math.max(10, width - fixed - 14);
  const stepW = Math.min(Math.max(...steps.map((x) => x.length), 4), stepRoom, 40);
  const header = `${wide ? '#'.padEnd(idW) : ''}${'started'.padEnd(timeW)}   ${'outcome'.padEnd(outW)} ${'step'.padEnd(stepW)} ${'took'.padStart(durW)}  by`;
  const out: HistoryLine[] = [];
  entries.forEach((e, i) => {
    const step = cut(steps[i]!, stepW).padEnd(stepW);
    const id = wide ? `#${e.id}`.padEnd(idW) : '';
    const who = `${e.dbUser}${e.applicationName ? `/${e.applicationName}` : ''}`;
    const text = `${id}${time(e).padEnd(timeW)} ${OUTCOME_MARK[e.liveSession === false ? 'interrupted' : e.outcome]} ${outcomes[i]!.padEnd(outW)} ${step} ${durs[i]!.padStart(durW)}  ${who}`;
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

/** One row of the tool's tracking table, as the history view of a project without Ladder's journal shows it. */
export interface TrackingLine {
  key: string;
  ok: boolean;
  text: string;
}

/**
 * The tool's tracking table as history, newest first (by Flyway's installed_rank, else by install time,
 * else by version): the columns the tool keeps, sized for `width`. dbmate keeps versions only.
 */
export function trackingTable(rows: AppliedMigration[], width: number, compare: (a: AppliedMigration, b: AppliedMigration) => number = newestFirst): { header: string; lines: TrackingLine[] } {
  const sorted = [...rows].sort(compare);
  const has = {
    rank: sorted.some((r) => r.installedRank !== undefined),
    on: sorted.some((r) => r.installedOn),
    took: sorted.some((r) => r.executionTimeMs !== undefined),
    by: sorted.some((r) => r.installedBy),
    name: sorted.some((r) => r.description),
  };
  const rankW = has.rank ? Math.max(1, ...sorted.map((r) => String(r.installedRank ?? '').length)) + 2 : 0;
  const onW = has.on ? 19 : 0;
  const verW = Math.min(24, Math.max(7, ...sorted.map((r) => (r.version ?? 'R').length)));
  const tookOf = (r: AppliedMigration) => (r.executionTimeMs === undefined ? '' : durationText(Math.round(r.executionTimeMs), 'ok'));
  const tookW = has.took ? Math.max(4, ...sorted.map((r) => tookOf(r).length)) : 0;
  const fixed = rankW + (onW ? onW + 2 : 0) + 10 + verW + 1 + (tookW ? tookW + 2 : 0);
  const nameW = has.name ? Math.max(8, Math.min(40, width - fixed - (has.by ? 12 : 0))) : 0;
  const col = (t: string, w: number) => cut(t, w).padEnd(w);
  const header =
    `${has.rank ? col('#', rankW) : ''}${has.on ? `${col('installed', onW)}  ` : ''}${col('outcome', 9)} ${col('version', verW)} ` +
    `${has.name ? `${col('description', nameW)} ` : ''}${has.took ? `${'took'.padStart(tookW)}  ` : ''}${has.by ? 'by' : ''}`;
  const lines = sorted.map((r) => {
    const text =
      `${has.rank ? col(`#${r.installedRank ?? ''}`, rankW) : ''}${has.on ? `${col((r.installedOn ?? '').slice(0, 19), onW)}  ` : ''}` +
      `${col(r.success ? '✓ ok' : '✗ failed', 9)} ${col(r.version ?? 'R', verW)} ` +
      `${has.name ? `${col(r.description ?? '', nameW)} ` : ''}${has.took ? `${tookOf(r).padStart(tookW)}  ` : ''}${has.by ? (r.installedBy ?? '') : ''}`;
    return { key: `${r.key}#${r.installedRank ?? ''}`, ok: r.success, text: text.trimEnd() };
  });
  return { header: header.trimEnd(), lines };
}

function newestFirst(a: AppliedMigration, b: AppliedMigration): number {
  if (a.installedRank !== undefined && b.installedRank !== undefined) return b.installedRank - a.installedRank;
  if (a.installedOn && b.installedOn && a.installedOn !== b.installedOn) return a.installedOn < b.installedOn ? 1 : -1;
  const x = a.version ?? a.key;
  const y = b.version ?? b.key;
  if (/^\d+$/.test(x) && /^\d+$/.test(y) && x.length !== y.length) return y.length - x.length;
  return x < y ? 1 : x > y ? -1 : 0;
}
