import React, { memo } from 'react';
import { Text } from 'ink';
import type { StepPause } from '../state.js';
import { fg, type Theme } from '../theme.js';
import { wrapLines } from '../text.js';
import { elapsed } from './run-panel.js';
import { Panel } from './panel.js';

export interface PausePanelProps {
  pause: StepPause;
  width: number;
  height: number;
  theme: Theme;
}

/** Step mode between two steps: what the last step did, where the database is, and what the keys do. */
export const PausePanel = memo(function PausePanel({ pause, width, height, theme }: PausePanelProps) {
  const inner = Math.max(10, width - 2);
  const total = pause.labels.length;
  const next = pause.labels[pause.done];
  const lines: React.ReactNode[] = [];
  const prose = (key: string, text: string, color?: string, bold = false) =>
    wrapLines(text, inner, Number.MAX_SAFE_INTEGER).forEach((t, i) =>
      lines.push(
        <Text key={`${key}${i}`} color={color} bold={bold}>
          {t}
        </Text>,
      ),
    );
  prose('d', `✓ step ${pause.done} of ${total}: ${pause.last.label} (${elapsed(pause.last.durationMs)})`, fg(theme, 'green'), true);
  prose('w', `The database ${pause.where}. ${pause.last.row}. No lock is held while Ladder waits.`);
  if (next) prose('n', `Next: ${next}${total - pause.done > 1 ? `, then ${total - pause.done - 1} more` : ''}.`, fg(theme, 'yellow'));
  prose('k', 'space/n run the next step · c continue to the end · s/esc stop here', fg(theme, 'cyan'), true);
  lines.push(<Text key="nh" bold>{pause.last.notices.length > 0 ? `Notices of this step (${pause.last.notices.length}):` : 'This step sent no notices.'}</Text>);
  const room = Math.max(0, height - lines.length);
  const notices = pause.last.notices.slice(-room);
  notices.forEach((n, i) =>
    lines.push(
      <Text key={`no${i}`} color={fg(theme, 'cyan')} wrap="truncate-end">
        {n}
      </Text>,
    ),
  );
  const shown = lines.slice(0, height);
  while (shown.length < height) shown.push(<Text key={`e${shown.length}`}> </Text>);
  return (
    <Panel title={`Step mode: ${pause.title}`} right={`${pause.done}/${total} paused`} width={width} rows={height} focused theme={theme}>
      {shown}
    </Panel>
  );
});
