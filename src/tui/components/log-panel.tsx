import React, { memo } from 'react';
import { Text } from 'ink';
import { CLOCK_WIDTH, clock, logTextWidth, logWindow, searchLog, type LogKind, type LogLine } from '../log-lines.js';
import { fg, type ColorName, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface LogPanelProps {
  lines: LogLine[];
  total: number;
  width: number;
  height: number;
  theme: Theme;
  /** Rows scrolled back from the newest (a long line wraps over several rows). */
  back?: number;
  /** The full-height view (L). */
  full?: boolean;
  /** The search (/): only the lines that match show. */
  search?: { query: string; typing: boolean };
  /** The split's log pane has the keys (o): it scrolls and searches like the full view. */
  focused?: boolean;
}

const COLOR: Record<LogKind, ColorName | undefined> = {
  notice: 'cyan',
  warning: 'yellow',
  info: undefined,
  step: 'green',
  error: 'red',
  hint: 'gray',
  action: 'blue',
  ok: 'green',
};

/** The live log, each line with its time: NOTICE / WARNING messages, step lines with timings, results. */
export const LogPanel = memo(function LogPanel({ lines, total, width, height, theme, back = 0, full = false, search, focused = false }: LogPanelProps) {
  const active = full || focused;
  const query = active ? (search?.query ?? '') : '';
  const pool = searchLog(lines, query);
  // A long NOTICE or error wraps whole to the pane, under its text; the time stays on its first row.
  const win = logWindow(pool, logTextWidth(width), back, height);
  const rows: React.ReactNode[] = win.rows.map((r) => {
    const l = r.line;
    const c = COLOR[l.kind];
    return (
      <Text key={`${l.id}.${r.part}`} wrap="truncate-end">
        <Text color={fg(theme, 'gray')}>{r.part === 0 ? `${clock(l.at)} ` : ' '.repeat(CLOCK_WIDTH)}</Text>
        <Text color={c ? fg(theme, c) : undefined} bold={l.kind === 'error' || l.kind === 'ok'}>
          {r.text}
        </Text>
      </Text>
    );
  });
  if (query && pool.length === 0) rows.push(<Text key="none" color={fg(theme, 'gray')}>{`No line matches "${query}".`}</Text>);
  while (rows.length < height) rows.push(<Text key={`e${rows.length}`}> </Text>);
  let right = total > height ? `${total} lines` : '';
  let title = 'Log';
  if (active) {
    const first = total - lines.length; // older lines are not kept
    right = query
      ? `${pool.length} match${pool.length === 1 ? '' : 'es'}`
      : `${first + (win.rows.length > 0 ? win.first + 1 : 0)}-${first + win.last + 1} of ${total}${first > 0 ? ` (last ${lines.length} kept)` : ''}`;
    const follow = back > 0 ? 'paused: G follows new lines' : 'following new lines';
    const close = full ? 'esc closes' : 'esc back to the list';
    title = search?.typing ? `Log search /${search.query}▌ (enter keeps, esc clears)` : query ? `Log /${query} (esc clears)  ${follow}` : `Log: ${follow} · / searches · ${close}`;
  }
  return (
    <Panel title={title} right={right} width={width} rows={height} focused={active} theme={theme}>
      {rows}
    </Panel>
  );
});
