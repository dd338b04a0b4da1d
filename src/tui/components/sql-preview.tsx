import React, { memo, useMemo } from 'react';
import { Text } from 'ink';
import { basename } from 'node:path';
import type { PreviewState, Tab } from '../state.js';
import { fitWidth, highlightLines } from '../highlight.js';
import { fg, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface SqlPreviewProps {
  preview: PreviewState;
  tab: Tab;
  width: number;
  height: number;
  focused: boolean;
  theme: Theme;
  /** Changes when the highlighter has loaded. */
  epoch: number;
}

/** The selected migration's SQL: line numbers, highlighted window only, tab up/down. */
export const SqlPreview = memo(function SqlPreview({ preview, tab, width, height, focused, theme, epoch }: SqlPreviewProps) {
  const { doc, top } = preview;
  // epoch: recolour once the highlighter has loaded.
  const lines = useMemo(() => (doc ? highlightLines(doc, top, height, theme.color) : []), [doc, top, height, theme.color, epoch]);
  const tabs = tab === 'up' ? '[up] down' : 'up [down]';
  const file = preview.want ? basename(preview.want) : '';
  const title = file ? `${tabs} ${file}` : tabs;
  const more = doc?.partial ? `+ (reading ${(doc.bytes / 1048576).toFixed(1)} MB…)` : '';
  const right =
    doc && (doc.lineCount > height || doc.partial)
      ? `${top + 1}-${Math.min(doc.lineCount, top + height)}/${doc.lineCount}${more}`
      : doc
        ? `${doc.lineCount} lines`
        : '';
  let body: React.ReactNode;
  if (doc) {
    const gw = String(doc.lineCount).length;
    const rows: React.ReactNode[] = [];
    for (let y = 0; y < height; y++) {
      const i = top + y;
      if (i >= doc.lineCount) {
        rows.push(<Text key={`e${y}`}> </Text>);
        continue;
      }
      rows.push(
        <Text key={`l${y}`} wrap="truncate-end">
          <Text color={fg(theme, 'gray')}>{`${String(i + 1).padStart(gw)} │ `}</Text>
          {fitWidth(lines[y] ?? '', width - 2 - gw - 3)}
        </Text>,
      );
    }
    body = rows;
  } else {
    const message =
      preview.absent ?? (preview.status === 'error' ? `Cannot read ${file}: ${preview.error ?? ''}` : preview.status === 'loading' ? `Reading ${file}…` : '');
    body = (
      <Text wrap="wrap" color={fg(theme, preview.status === 'error' ? 'red' : 'gray')}>
        {message}
      </Text>
    );
  }
  return (
    <Panel title={title} right={right} width={width} rows={height} focused={focused} theme={theme}>
      {body}
    </Panel>
  );
});
