import React, { memo } from 'react';
import { Box, Text } from 'ink';
import type { UiState } from '../state.js';
import { fg, type Theme } from '../theme.js';
import { wrapLines } from '../text.js';
import { Panel } from './panel.js';
import { ChoiceMenu } from './choice-menu.js';

export interface ToolPanelProps {
  choice: NonNullable<UiState['toolChoice']>;
  folder: string;
  width: number;
  rows: number;
  onChoose: (index: number) => void;
  theme: Theme;
}

/** An ambiguous folder, before its first change: which tool's project is it? Each tool keeps its own table. */
export const ToolPanel = memo(function ToolPanel({ choice, folder, width, rows, onChoose, theme }: ToolPanelProps) {
  const inner = Math.max(1, width - 2);
  const why = wrapLines(
    `Before "${choice.asked}" can run: the files in ${folder}/ are named the way ${choice.labels.join(' and ')} both name theirs, and nothing around the folder (Cargo.toml, go.mod, package.json, a Makefile, …) and no tracking table in the database says which. Each tool keeps a table of its own; the wrong one would make the real tool run everything again. Which tool runs this folder?`,
    inner,
    Number.MAX_SAFE_INTEGER,
  );
  const after = wrapLines(`Ladder then opens the folder as that tool's project (as -format would); nothing has been changed so far. Next time, start Ladder with -format ${choice.candidates[0]} (or the other) to skip this question.`, inner, Number.MAX_SAFE_INTEGER);
  return (
    <Panel title="Which tool is this folder for?" width={width} rows={rows} focused theme={theme}>
      <Box flexDirection="column" height={rows} overflow="hidden">
        {why.map((l, i) => (
          <Text key={`w${i}`}>{l}</Text>
        ))}
        <Text> </Text>
        <ChoiceMenu<string>
          theme={theme}
          width={inner}
          items={choice.labels.map((label, i) => ({ label: `${label} (-format ${choice.candidates[i]})`, value: String(i) }))}
          onSelect={(v) => onChoose(Number(v))}
        />
        <Text> </Text>
        {after.map((l, i) => (
          <Text key={`a${i}`} color={fg(theme, 'gray')}>
            {l}
          </Text>
        ))}
      </Box>
    </Panel>
  );
});
