import React, { memo } from 'react';
import { Text } from 'ink';
import type { LogKind, LogLine } from '../log-lines.js';
import { fg, type ColorName, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface LogPanelProps {
  lines: LogLine[];
  total: number;
  width: number;
  height: number;
  theme: Theme;
  /** Lines scrolled back from the newest (the full-height view). */
  back?: number;
  /** The full-height view (L). */
  full?: boolean;
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

/** The newest lines of the live log: NOTICE / WARNING messages, step lines with timings, results. */
export const LogPanel = memo(function LogPanel({ lines, total, width, height, theme, back = 0, full = false }: LogPanelProps) {
  const end = Math.max(0, lines.length - back);
  const shown = lines.slice(Math.max(0, end - height), end);
  const rows: React.ReactNode[] = shown.map((l) => {
    const c = COLOR[l.kind];
    return (
      <Text key={l.id} wrap="truncate-end" color={c ? fg(theme, c) : undefined} bold={l.kind === 'error' || l.kind === 'ok'}>
        {l.text}
      </Text>
    );
  });
  while (rows.length < height) rows.push(<Text key={`e${rows.length}`}> </Text>);
  let right = total > height ? `${total} lines` : '';
  if (full) {
    const first = total - lines.length; // older lines are not kept
    right = `${first + end - shown.length + 1}-${first + end} of ${total}${first > 0 ? ` (last ${lines.length} kept)` : ''}`;
  }
  return (
    <Panel title={full ? 'Log: esc or L closes' : 'Log'} right={right} width={width} rows={height} focused={full} theme={theme}>
      {rows}
    </Panel>
  );
});
