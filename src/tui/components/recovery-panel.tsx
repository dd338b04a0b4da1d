import React, { memo } from 'react';
import { Box, Text } from 'ink';
import { NIL_VERSION } from '../../formats/types.js';
import type { UiState } from '../state.js';
import type { RecoveryItem } from '../recovery-choices.js';
import { fg, type Theme } from '../theme.js';
import { Panel } from './panel.js';
import { wrapLines } from '../text.js';
import { ChoiceMenu } from './choice-menu.js';

export interface RecoveryPanelProps {
  db: UiState['db'];
  recovery: UiState['recovery'];
  failure: UiState['failure'];
  items: RecoveryItem[];
  width: number;
  rows: number;
  onChoose: (index: number) => void;
  onHighlight: (index: number) => void;
  theme: Theme;
}

/**
 * Opens first when the database is dirty: what happened (the engine's diagnosis, as "ladder recover"
 * explains it) and the ways out, each of which shows its plan and asks y/N before anything runs.
 */
export const RecoveryPanel = memo(function RecoveryPanel({ db, recovery, failure, items, width, rows, onChoose, onHighlight, theme }: RecoveryPanelProps) {
  const v = db.state?.version ?? NIL_VERSION;
  const diag = recovery.diagnosis;
  const head: React.ReactNode[] = [];
  if (diag) {
    head.push(
      <Text key="x" wrap="truncate-end">
        {diag.explanation}
      </Text>,
    );
    diag.candidates.forEach((r, i) => {
      const k = r.candidate;
      const what = `${r.certain ? 'What failed' : 'If this failed'}: ${k.direction} ${k.version}${k.name ? ` ${k.name}` : ''}`;
      const err = r.error ? ` · ${r.error.message}${r.error.line ? ` (line ${r.error.line})` : ''}` : '';
      head.push(
        <Text key={`c${i}`} wrap="truncate-end">
          <Text bold>{what}</Text>
          <Text color={fg(theme, 'red')}>{err}</Text>
          {r.effects ? <Text color={fg(theme, 'gray')}>{` · kept: ${r.effects.summary}`}</Text> : null}
        </Text>,
      );
    });
  } else {
    if (failure)
      head.push(
        <Text key="f" color={fg(theme, 'red')} wrap="truncate-end">{`Last failure: ${failure.direction} ${failure.version}: ${failure.message}`}</Text>,
      );
    head.push(
      <Text key="t" wrap="truncate-end">
        {recovery.status === 'loading'
          ? 'A migration stopped part-way; working out which one and what it left behind…'
          : 'A migration stopped part-way (it failed or was cancelled): the schema may be half-changed. Force runs no SQL: it only records a version.'}
      </Text>,
    );
    if (recovery.error) head.push(<Text key="e" color={fg(theme, 'gray')} wrap="truncate-end">{`(no diagnosis: ${recovery.error})`}</Text>);
  }
  const hi = items[Math.min(recovery.highlighted, items.length - 1)];
  // Every line is budgeted, so nothing gets squeezed: the menu first, then what the highlighted way out does.
  const inner = Math.max(1, width - 2);
  const heads = head.slice(0, Math.max(0, rows - items.length - 1));
  let free = rows - heads.length - items.length;
  const gap = free > 2;
  if (gap) free--;
  const consequence = hi?.consequence ? wrapLines(hi.consequence, inner, Math.max(0, free - (hi.warning ? 1 : 0))) : [];
  free -= consequence.length;
  const warning = hi?.warning ? wrapLines(`! ${hi.warning}`, inner, free) : [];
  return (
    <Panel title={`Recovery: the database is dirty at ${v === NIL_VERSION ? 'no version (-1)' : `version ${v}`}`} width={width} rows={rows} focused theme={theme}>
      <Box flexDirection="column" height={rows} overflow="hidden">
        {heads}
        {gap ? <Text> </Text> : null}
        <Box flexDirection="column" height={items.length} flexShrink={0}>
          <ChoiceMenu<string>
            theme={theme}
            items={items.map((it, i) => ({ label: it.label, value: String(i) }))}
            onSelect={(val) => onChoose(Number(val))}
            onHighlight={(val) => onHighlight(Number(val))}
          />
        </Box>
        {consequence.map((line, i) => (
          <Text key={`q${i}`} color={fg(theme, 'gray')} wrap="truncate-end">
            {line}
          </Text>
        ))}
        {warning.map((line, i) => (
          <Text key={`w${i}`} color={fg(theme, 'yellow')} wrap="truncate-end">
            {line}
          </Text>
        ))}
      </Box>
    </Panel>
  );
});
