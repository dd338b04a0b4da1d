import React, { memo, useMemo } from 'react';
import { Text } from 'ink';
import { basename } from 'node:path';
import type { PreviewState, Tab } from '../state.js';
import type { DetailLine, DetailTone } from '../rows.js';
import { fitWidth, highlightLines, skipColumns } from '../highlight.js';
import { fg, type ColorName, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface SqlPreviewProps {
  preview: PreviewState;
  tab: Tab;
  width: number;
  height: number;
  /** What to say about the selected row above its SQL (checksums, the tool's word, a problem). */
  detail: DetailLine[];
  focused: boolean;
  theme: Theme;
  /** Changes when the highlighter has loaded. */
  epoch: number;
  /** Columns scrolled sideways (h/l with the focus in the SQL). */
  left?: number;
}

const TONE: Record<DetailTone, ColorName> = { changed: 'magenta', failed: 'red', problem: 'yellow', note: 'cyan', quiet: 'gray' };

/**
 * The selected migration's SQL: line numbers, highlighted window only, tab up/down. When the tool runs one
 * section of the file (dbmate), only that section shows, numbered as in the file.
 */
export const SqlPreview = memo(function SqlPreview({ preview, tab, width, height, detail, focused, theme, epoch, left = 0 }: SqlPreviewProps) {
  const { doc, top } = preview;
  const rows = Math.max(1, height - detail.length);
  // epoch: recolour once the highlighter has loaded.
  const lines = useMemo(() => (doc ? highlightLines(doc, top, rows, theme.color) : []), [doc, top, rows, theme.color, epoch]);
  const tabs = tab === 'up' ? '[up] down' : 'up [down]';
  const file = preview.path ? basename(preview.path) : '';
  const title = file ? `${tabs} ${file}` : tabs;
  const more = doc?.partial ? `+ (reading ${(doc.bytes / 1048576).toFixed(1)} MB…)` : '';
  const sideways = left > 0 ? `col ${left + 1}+ ` : '';
  const section = sideways + (doc && preview.sql !== undefined && doc.firstLine > 0 ? `${tab} section, ` : '');
  const right =
    doc && (doc.lineCount > rows || doc.partial)
      ? `${section}${top + 1}-${Math.min(doc.lineCount, top + rows)}/${doc.lineCount}${more}`
      : doc
        ? `${section}${doc.lineCount} line${doc.lineCount === 1 ? '' : 's'}`
        : '';
  // Short of room, the line range stays (it is where the user is) and the rest of the right end goes.
  const scrolled = doc && (doc.lineCount > rows || doc.partial) ? `${sideways}${top + 1}-${Math.min(doc.lineCount, top + rows)}/${doc.lineCount}` : '';
  const fitRight = title.length + right.length + 6 <= width ? right : title.length + scrolled.length + 6 <= width ? scrolled : scrolled;
  const head = detail.map((d, i) => (
    <Text key={`d${i}`} wrap="truncate-end" color={fg(theme, TONE[d.tone])} bold={d.tone === 'changed' || d.tone === 'failed'}>
      {d.text}
    </Text>
  ));
  let body: React.ReactNode;
  if (doc) {
    const gw = String(doc.firstLine + doc.lineCount).length;
    const out: React.ReactNode[] = [];
    for (let y = 0; y < rows; y++) {
      const i = top + y;
      if (i >= doc.lineCount) {
        out.push(<Text key={`e${y}`}> </Text>);
        continue;
      }
      out.push(
        <Text key={`l${y}`} wrap="truncate-end">
          <Text color={fg(theme, 'gray')}>{`${String(doc.firstLine + i + 1).padStart(gw)} │ `}</Text>
          {fitWidth(left > 0 ? skipColumns(lines[y] ?? '', left) : (lines[y] ?? ''), width - 2 - gw - 3)}
        </Text>,
      );
    }
    body = out;
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
    <Panel title={title} right={fitRight} width={width} rows={height} focused={focused} theme={theme}>
      {head}
      {body}
    </Panel>
  );
});
