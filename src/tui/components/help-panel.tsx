import React, { memo } from 'react';
import { Text } from 'ink';
import { HELP } from '../keys-help.js';
import { fg, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface HelpPanelProps {
  top: number;
  rows: number;
  width: number;
  theme: Theme;
}

type HelpLine = { kind: 'title'; text: string } | { kind: 'row'; key: string; text: string } | { kind: 'blank' };

function helpLines(): HelpLine[] {
  const out: HelpLine[] = [];
  for (const sec of HELP) {
    out.push({ kind: 'title', text: sec.title });
    for (const [key, text] of sec.rows) out.push({ kind: 'row', key, text });
    out.push({ kind: 'blank' });
  }
  return out;
}

const LINES = helpLines();
const KEY_WIDTH = Math.max(...LINES.map((l) => (l.kind === 'row' ? l.key.length : 0))) + 2;

/** The ? overlay: every key, and what the list's markers mean. */
export const HelpPanel = memo(function HelpPanel({ top, rows, width, theme }: HelpPanelProps) {
  const shown = LINES.slice(top, top + rows).map((l, i) => {
    if (l.kind === 'title')
      return (
        <Text key={i} bold color={fg(theme, 'yellow')} wrap="truncate-end">
          {l.text}
        </Text>
      );
    if (l.kind === 'blank') return <Text key={i}> </Text>;
    return (
      <Text key={i} wrap="truncate-end">
        <Text bold color={fg(theme, 'cyan')}>{`  ${l.key.padEnd(KEY_WIDTH)}`}</Text>
        {l.text}
      </Text>
    );
  });
  while (shown.length < rows) shown.push(<Text key={`e${shown.length}`}> </Text>);
  const right = LINES.length > rows ? `${top + 1}-${Math.min(LINES.length, top + rows)}/${LINES.length} j/k` : '';
  return (
    <Panel title="Help: esc or ? closes" right={right} width={width} rows={rows} focused theme={theme}>
      {shown}
    </Panel>
  );
});
