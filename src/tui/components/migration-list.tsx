import React, { memo } from 'react';
import { Text } from 'ink';
import { STATE_MARKERS, type StatusRow } from '../../engine/status.js';
import { fg, type ColorName, type Theme } from '../theme.js';
import { Panel } from './panel.js';
import { oneLine } from '../log-lines.js';
import { displayVersion, toolWord } from '../rows.js';

export interface MigrationListProps {
  rows: StatusRow[];
  /** Versions that have a file in the folder (the others are rows of the tracking table only). */
  hasFile: (version: string) => boolean;
  visible: number[];
  versionWidth: number;
  cursor: number;
  top: number;
  height: number;
  width: number;
  focused: boolean;
  filter: string;
  theme: Theme;
  /** The version whose step runs now (drawn as in progress). */
  running?: string | null;
}

const MARKER_COLOR: Record<StatusRow['state'], ColorName> = { applied: 'green', pending: 'gray', dirty: 'red', missing: 'yellow', changed: 'magenta', outdated: 'cyan', skipped: 'gray', 'never-run': 'yellow' };

/** The migration list; only the `height` visible rows are rendered, whatever the list's length. */
export const MigrationList = memo(function MigrationList({ rows, hasFile, visible, versionWidth: vw, cursor, top, height, width, focused, filter, theme, running = null }: MigrationListProps) {
  const inner = Math.max(1, width - 2);
  const nameWidth = Math.max(1, inner - 3 - vw - 1 - 2);
  const lines: React.ReactNode[] = [];
  for (let y = 0; y < height; y++) {
    const vi = top + y;
    const ri = visible[vi];
    const r = ri === undefined ? undefined : rows[ri];
    if (!r) {
      lines.push(<Text key={`e${y}`}> </Text>);
      continue;
    }
    const selected = vi === cursor;
    const file = hasFile(r.version);
    const name = file ? oneLine(r.name) : r.name ? `${oneLine(r.name)} (file missing)` : '(file missing)';
    // The tool's own word, when it says more than the marker ("Out of Order", "installed (different checksum)").
    const word = r.version === running ? 'running…' : toolWord(r);
    const full = word ? `${name}  ${word}` : name;
    const shown = full.length > nameWidth ? full.slice(0, Math.max(0, nameWidth - 1)) + '…' : full.padEnd(nameWidth);
    const nameEnd = Math.min(name.length, shown.length);
    lines.push(
      <Text key={String(r.version)} inverse={selected} bold={r.current} wrap="truncate-end">
        {r.version === running ? (
          <Text color={fg(theme, 'yellow')} bold>
            ▶
          </Text>
        ) : (
          <Text color={fg(theme, MARKER_COLOR[r.state])}>{STATE_MARKERS[r.state]}</Text>
        )}
        <Text color={fg(theme, 'yellow')}>{r.problems.length > 0 ? '!' : ' '}</Text>
        {` ${displayVersion(r).padStart(vw)} `}
        <Text>{shown.slice(0, nameEnd)}</Text>
        <Text color={fg(theme, MARKER_COLOR[r.state])} dimColor={!theme.color}>
          {shown.slice(nameEnd)}
        </Text>
        <Text color={fg(theme, 'yellow')}>{r.current ? ' ◀' : '  '}</Text>
      </Text>,
    );
  }
  const title = filter ? `Migrations /${filter}` : 'Migrations';
  // Where the cursor is when the list scrolls, else how many there are (of how many, when filtered).
  const right =
    visible.length > height ? `${Math.min(cursor + 1, visible.length)}/${visible.length}` : filter ? `${visible.length}/${rows.length}` : `${rows.length}`;
  return (
    <Panel title={title} right={right} width={width} rows={height} focused={focused} theme={theme}>
      {lines}
    </Panel>
  );
});
