import React, { memo } from 'react';
import { Box, Text } from 'ink';
import type { Failure, Info, LedgerGuide } from '../state.js';
import { fg, type Theme } from '../theme.js';
import { wrapLines } from '../text.js';
import { Panel } from './panel.js';
import { ChoiceMenu } from './choice-menu.js';
import { menuRows } from '../menu-lines.js';

export interface LedgerRecoveryPanelProps {
  guide: LedgerGuide;
  info: Info;
  failure: Failure | null;
  highlighted: number;
  width: number;
  rows: number;
  onChoose: (index: number) => void;
  onHighlight: (index: number) => void;
  theme: Theme;
}

/**
 * A failed row of a set-tracking tool (sqlx, Flyway: success = false): which migration, in the tool's own
 * words, what that means, and the ways out (the tool's repair, or force), each shown as a plan before it runs.
 */
export const LedgerRecoveryPanel = memo(function LedgerRecoveryPanel({ guide, info, failure, highlighted, width, rows, onChoose, onHighlight, theme }: LedgerRecoveryPanelProps) {
  const tool = info.tool ?? info.format;
  const inner = Math.max(10, width - 2);
  const menu = menuRows(guide.ways.map((w) => w.label), inner);
  const way = guide.ways[highlighted];
  const after = way ? wrapLines(way.consequence, inner, 2) : [];
  // Everything above the menu shares what the menu and the consequence leave.
  const budget = Math.max(1, rows - menu - after.length - 1);
  const head: { text: string; tone?: 'red' | 'gray' | 'bold' }[] = [];
  for (const l of wrapLines(`${guide.key}${guide.name ? ` ${guide.name}` : ''} failed: ${info.table} keeps its row with success = false (${tool}: "${guide.label}").`, inner, 3))
    head.push({ text: l, tone: 'bold' });
  for (const p of guide.problems) for (const l of wrapLines(`${tool} says: ${p}`, inner, 2)) head.push({ text: l, tone: 'red' });
  if (failure && failure.version === guide.key) for (const l of wrapLines(`Last error: ${failure.message}`, inner, 2)) head.push({ text: l, tone: 'red' });
  for (const l of wrapLines(
    `The migration stopped part-way: what it ran inside a transaction was rolled back, but anything it ran outside one may still be in the schema. ${tool} will not migrate until the row is resolved. Check the schema, then choose:`,
    inner,
    3,
  ))
    head.push({ text: l, tone: 'gray' });
  const shown = head.slice(0, budget);
  return (
    <Panel title={`Failed migration: ${guide.key}`} width={width} rows={rows} focused theme={theme}>
      <Box flexDirection="column" height={rows} overflow="hidden">
        {shown.map((l, i) => (
          <Text key={`h${i}`} wrap="truncate-end" bold={l.tone === 'bold'} color={l.tone === 'red' ? fg(theme, 'red') : l.tone === 'gray' ? fg(theme, 'gray') : undefined}>
            {l.text}
          </Text>
        ))}
        <Text> </Text>
        <Box flexDirection="column" height={menu} flexShrink={0}>
          <ChoiceMenu<string>
            theme={theme}
            width={inner}
            items={guide.ways.map((w, i) => ({ label: w.label, value: String(i) }))}
            onSelect={(val) => onChoose(Number(val))}
            onHighlight={(val) => onHighlight(Number(val))}
          />
        </Box>
        {after.map((l, i) => (
          <Text key={`c${i}`} color={fg(theme, 'gray')} wrap="truncate-end">
            {l}
          </Text>
        ))}
      </Box>
    </Panel>
  );
});
