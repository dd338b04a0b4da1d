import React, { memo } from 'react';
import { Text } from 'ink';
import type { DetailViewLine } from '../detail-lines.js';
import { fitWidth, highlightLines } from '../highlight.js';
import { fg, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface DetailPanelProps {
  lines: DetailViewLine[];
  top: number;
  rows: number;
  width: number;
  theme: Theme;
}

/** enter on a migration: its status, both halves and its journal entries, scrollable. */
export const DetailPanel = memo(function DetailPanel({ lines, top, rows, width, theme }: DetailPanelProps) {
  const shown = lines.slice(top, top + rows).map((l, i) => {
    switch (l.kind) {
      case 'blank':
        return <Text key={i}> </Text>;
      case 'sql': {
        const hl = highlightLines(l.doc, l.line, 1, theme.color)[0] ?? '';
        return (
          <Text key={i} wrap="truncate-end">
            <Text color={fg(theme, 'gray')}>{`  ${String(l.doc.firstLine + l.line + 1).padStart(l.gutter)} │ `}</Text>
            {fitWidth(hl, width - 2 - l.gutter - 5)}
          </Text>
        );
      }
      default:
        return (
          <Text key={i} bold={l.kind === 'title' || l.kind === 'heading'} color={l.kind === 'heading' ? fg(theme, 'yellow') : l.kind === 'quiet' ? fg(theme, 'gray') : undefined}>
            {l.text}
          </Text>
        );
    }
  });
  while (shown.length < rows) shown.push(<Text key={`e${shown.length}`}> </Text>);
  const right = lines.length > rows ? `${top + 1}-${Math.min(lines.length, top + rows)}/${lines.length}` : '';
  return (
    <Panel title="Migration: esc closes · t goes to it" right={right} width={width} rows={rows} focused theme={theme}>
      {shown}
    </Panel>
  );
});
