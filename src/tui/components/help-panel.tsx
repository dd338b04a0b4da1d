import React, { memo, useMemo } from 'react';
import { Text } from 'ink';
import { helpLines } from '../keys-help.js';
import type { Info } from '../state.js';
import { fg, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface HelpPanelProps {
  info: Info;
  top: number;
  rows: number;
  width: number;
  theme: Theme;
  filter: string;
}

/** The ? overlay: what this project is (tool, why, table, lock), every key, and what the list's markers mean. */
export const HelpPanel = memo(function HelpPanel({ info, top, rows, width, theme, filter }: HelpPanelProps) {
  const { lines, keyWidth } = useMemo(() => helpLines(info, width, filter), [info, width, filter]);
  const shown = lines.slice(top, top + rows).map((l, i) => {
    if (l.kind === 'title')
      return (
        <Text key={i} bold color={fg(theme, 'yellow')} wrap="truncate-end">
          {l.text}
        </Text>
      );
    if (l.kind === 'blank') return <Text key={i}> </Text>;
    return (
      <Text key={i} wrap="truncate-end">
        <Text bold color={fg(theme, 'cyan')}>{`  ${l.key.padEnd(keyWidth)}`}</Text>
        {l.text}
      </Text>
    );
  });
  while (shown.length < rows) shown.push(<Text key={`e${shown.length}`}> </Text>);
  const right = lines.length > rows ? `${top + 1}-${Math.min(lines.length, top + rows)}/${lines.length} j/k g/G` : '';
  return (
    <Panel title={filter ? `Help /${filter}▌ (esc clears)` : 'Help: type to filter · esc or ? closes'} right={right} width={width} rows={rows} focused theme={theme}>
      {shown}
    </Panel>
  );
});
