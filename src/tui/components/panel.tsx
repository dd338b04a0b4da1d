import React, { type ReactNode } from 'react';
import { Box, Text } from 'ink';
import { fg, type Theme } from '../theme.js';

export interface PanelProps {
  title: string;
  /** Shown at the right end of the top border (e.g. "12-34/120"). */
  right?: string;
  width: number;
  /** Content rows (the panel is rows + 2 lines tall: top border with title, bottom border). */
  rows: number;
  focused: boolean;
  theme: Theme;
  children?: ReactNode;
}

/** A rounded box with its title drawn into the top border (Ink has no border titles). */
export function Panel({ title, right, width, rows, focused, theme, children }: PanelProps) {
  const color = fg(theme, focused ? 'cyan' : 'gray');
  return (
    <Box flexDirection="column" width={width} height={rows + 2} flexShrink={0}>
      <Text color={color} bold={focused} wrap="truncate-end">
        {topBorder(title, right ?? '', width)}
      </Text>
      <Box borderStyle="round" borderTop={false} borderColor={color} width={width} height={rows + 1} flexDirection="column" overflow="hidden">
        {children}
      </Box>
    </Box>
  );
}

export function topBorder(title: string, right: string, width: number): string {
  const inner = Math.max(0, width - 2);
  let t = title ? `─ ${title} ` : '';
  let r = right ? ` ${right} ─` : '';
  // The right end holds numbers the user scrolls by (a line range): the title gives way first.
  if (r.length > inner - 4) r = '';
  if (t.length + r.length > inner) t = t.slice(0, Math.max(0, inner - r.length - 1)) + '…';
  const fill = Math.max(0, inner - t.length - r.length);
  return `╭${t}${'─'.repeat(fill)}${r}╮`;
}
