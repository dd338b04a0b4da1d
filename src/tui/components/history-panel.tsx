import React, { memo, useMemo } from 'react';
import { Text } from 'ink';
import type { JournalOutcome } from '../../engine/journal.js';
import type { HistoryView } from '../state.js';
import { historyTable, trackingTable } from '../history-lines.js';
import type { AppliedMigration } from '../../formats/driver.js';
import { fg, type ColorName, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface HistoryPanelProps {
  history: HistoryView;
  table: string;
  width: number;
  /** Content rows (the first is the column heading; without a journal, a note comes first). */
  height: number;
  /** The tool's rows, listed when Ladder keeps no journal for the project (history.none). */
  applied?: AppliedMigration[];
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
export const HistoryPanel = memo(function HistoryPanel({ history, table, width, height, applied, theme }: HistoryPanelProps) {
  const inner = Math.max(1, width - 2);
  const { header, lines } = useMemo(() => historyTable(history.entries, inner), [history.entries, inner]);
  if (history.none !== null) return <ToolTable note={history.none} applied={applied ?? []} top={history.top} width={width} height={height} theme={theme} />;
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

/** Without Ladder's journal (dbmate, sqlx, Flyway): why, and the tool's own table, newest first. */
function ToolTable({ note, applied, top, width, height, theme }: { note: string; applied: AppliedMigration[]; top: number; width: number; height: number; theme: Theme }) {
  const inner = Math.max(1, width - 2);
  const { header, lines } = useMemo(() => trackingTable(applied, inner), [applied, inner]);
  const room = Math.max(1, height - 2);
  const rows: React.ReactNode[] = [
    <Text key="n" wrap="truncate-end" color={fg(theme, 'cyan')}>
      {note}
    </Text>,
  ];
  if (lines.length === 0) rows.push(<Text key="z" wrap="truncate-end">{'No rows yet: nothing has been applied.'}</Text>);
  else {
    rows.push(
      <Text key="h" wrap="truncate-end" color={fg(theme, 'gray')} bold>
        {header}
      </Text>,
    );
    for (const l of lines.slice(top, top + room))
      rows.push(
        <Text key={l.key} wrap="truncate-end" color={l.ok ? undefined : fg(theme, 'red')} bold={!l.ok}>
          {l.text}
        </Text>,
      );
  }
  while (rows.length < height) rows.push(<Text key={`e${rows.length}`}> </Text>);
  const n = lines.length;
  const right = n > room ? `${top + 1}-${Math.min(n, top + room)}/${n} rows` : `${n} row${n === 1 ? '' : 's'}`;
  return (
    <Panel title="History: esc or H closes" right={right} width={width} rows={height} focused theme={theme}>
      {rows}
    </Panel>
  );
}
