import React, { memo } from 'react';
import { Text } from 'ink';
import type { DryRunLine, DryRunTone } from '../dry-run-lines.js';
import { fg, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface DryRunPanelProps {
  lines: DryRunLine[];
  top: number;
  rows: number;
  width: number;
  running: boolean;
  theme: Theme;
}

const COLOR: Partial<Record<DryRunTone, Parameters<typeof fg>[1]>> = { ok: 'green', fail: 'red', skip: 'yellow', notice: 'cyan', change: 'yellow', text: 'gray' };

/** d in the plan: what every step would do, rehearsed in a transaction that was rolled back; esc goes back to the plan. */
export const DryRunPanel = memo(function DryRunPanel({ lines, top, rows, width, running, theme }: DryRunPanelProps) {
  const shown = lines.slice(top, top + rows).map((l, i) => (
    <Text key={i} wrap="truncate-end" bold={l.tone === 'title' || l.tone === 'fail'} color={COLOR[l.tone] ? fg(theme, COLOR[l.tone]!) : undefined}>
      {l.text === '' ? ' ' : l.text}
    </Text>
  ));
  while (shown.length < rows) shown.push(<Text key={`e${shown.length}`}> </Text>);
  const right = lines.length > rows ? `${top + 1}-${Math.min(lines.length, top + rows)}/${lines.length}` : '';
  return (
    <Panel title={running ? 'Dry run: rehearsing…' : 'Dry run: esc back to the plan'} right={right} width={width} rows={rows} focused theme={theme}>
      {shown}
    </Panel>
  );
});
