import React, { memo, useMemo } from 'react';
import { Text } from 'ink';
import type { JournalOutcome } from '../../engine/journal.js';
import type { HistoryView } from '../state.js';
import { historyTable } from '../history-lines.js';
import { fg, type ColorName, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface HistoryPanelProps {
  history: HistoryView;
  table: string;
  width: number;
  /** Content rows (the first is the column heading). */
  height: number;
  theme: Theme;
}

const COLOR: Record<JournalOutcome, ColorName> = {
  ok: 'green',
  failed: 'red',
  cancelled: 'yellow',
  interrupted: 'yellow',
  running: 'cyan',
};

/** Ladder's journal, newest first: one line per step, and the error under each failure. Full height, scrollable. */
export const HistoryPanel = memo(function HistoryPanel({ history, table, width, height, theme }: HistoryPanelProps) {
  const inner = Math.max(1, width - 2);
  const { header, lines } = useMemo(() => historyTable(history.entries, inner), [history.entries, inner]);
  const rows: React.ReactNode[] = [];
  const rowsForEntries = Math.max(1, height - 1);
  let right = '';
  if (history.entries.length === 0) {
    let msg: string;
    if (history.status === 'loading') msg = 'Reading the journal…';
    else if (history.error) msg = `Could not read the journal: ${history.error}`;
    else if (!history.journal) msg = `No history: Ladder runs with -no-journal, so it records no steps (and ${table} has none).`;
    else msg = `No steps recorded in ${table} yet: each step Ladder runs is recorded there.`;
    rows.push(
      <Text key="m" wrap="truncate-end" color={history.error ? fg(theme, 'red') : undefined}>
        {msg}
      </Text>,
    );
  } else {
    rows.push(
      <Text key="h" wrap="truncate-end" color={fg(theme, 'gray')} bold>
        {header}
        {history.error ? `   (reload failed: ${history.error})` : !history.journal ? '   (-no-journal: this session records nothing)' : ''}
      </Text>,
    );
    const shown = lines.slice(history.top, history.top + rowsForEntries);
    for (const l of shown) {
      const c = COLOR[l.outcome];
      rows.push(
        <Text key={l.key} wrap="truncate-end" color={l.kind === 'error' ? fg(theme, 'red') : l.outcome === 'ok' ? undefined : fg(theme, c)} bold={l.kind === 'entry' && l.outcome === 'failed'}>
          {l.kind === 'entry' && l.outcome === 'ok' ? (
            <>
              <Text>{l.text.slice(0, l.text.indexOf('✓'))}</Text>
              <Text color={fg(theme, 'green')}>{'✓ ok'}</Text>
              <Text>{l.text.slice(l.text.indexOf('✓') + 4)}</Text>
            </>
          ) : (
            l.text
          )}
        </Text>,
      );
    }
    const n = history.entries.length;
    right = lines.length > rowsForEntries ? `${history.top + 1}-${Math.min(lines.length, history.top + rowsForEntries)}/${lines.length} lines · ${n} steps` : `${n} step${n === 1 ? '' : 's'}`;
  }
  while (rows.length < height) rows.push(<Text key={`e${rows.length}`}> </Text>);
  return (
    <Panel title="History: esc or H closes" right={right} width={width} rows={height} focused theme={theme}>
      {rows}
    </Panel>
  );
});
