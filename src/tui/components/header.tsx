import React, { memo } from 'react';
import { Box, Text } from 'ink';
import type { DbView, DriftView, Info, RunView } from '../state.js';
import type { StatusRow } from '../../engine/status.js';
import { fg, type Theme } from '../theme.js';
import { NIL_VERSION } from '../../formats/types.js';
import { capsOfInfo } from '../capabilities.js';

export interface HeaderProps {
  info: Info;
  db: DbView;
  rows: StatusRow[];
  width: number;
  theme: Theme;
  /** A plan running now: the header says which step runs, and that the table holds it dirty meanwhile. */
  run?: RunView | null;
  /** The last drift check (:drift), when one ran. */
  drift?: DriftView;
}

/**
 * Two lines: where (database, the tool and its folder, and why Ladder took the folder for that tool's)
 * and what state (version, dirty, pending, the lock, and whether the tool itself honours that lock).
 */
export const Header = memo(function Header({ info, db, rows, width, theme, run, drift }: HeaderProps) {
  const st = db.state;
  // While a step runs its version is recorded dirty until it ends: say so, never "clean".
  const live = run && run.running && run.index < run.labels.length ? run : null;
  const current = st ? rows.find((r) => r.current) : undefined;
  let pending = 0;
  let failed = 0;
  for (const r of rows) {
    if (r.state === 'pending' || r.state === 'outdated') pending++;
    else if (r.state === 'dirty') failed++;
  }
  const version = !st ? 'reading…' : st.version === NIL_VERSION ? 'none' : `${st.version}${current?.name ? ` ${current.name}` : ''}`;
  const source = info.source === 'sandbox' ? ' (sandbox)' : '';
  const tool = info.tool ?? info.format;
  // Set-tracking tools: "dirty" is a failed row, named as such.
  const dirty = capsOfInfo(info).failedWord === 'FAILED' ? ` FAILED${failed > 1 ? ` ×${failed}` : ''} ` : ' DIRTY ';
  return (
    <Box flexDirection="column" width={width} height={2} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text bold color={fg(theme, 'cyan')}>
          {' Ladder '}
        </Text>
        <Text bold>{` ${tool}`}</Text>
        <Text>{` ${shortFolder(info.folder)}/  ${info.database}${source}`}</Text>
        {info.detection ? <Text color={fg(theme, 'gray')}>{`  (${info.detection.replace(/\.$/, '')})`}</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        <Text>{' version '}</Text>
        <Text bold>{live ? (live.targets[live.index] === NIL_VERSION ? 'none' : (live.targets[live.index] ?? version)) : version}</Text>
        {live ? (
          <Text bold inverse color={fg(theme, 'yellow')}>
            {` DIRTY while ${live.labels[live.index]} runs (${live.offset + live.index + 1}/${live.offset + live.labels.length}) `}
          </Text>
        ) : st?.dirty ? (
          <Text bold inverse color={fg(theme, 'red')}>
            {dirty}
          </Text>
        ) : (
          <Text color={fg(theme, 'green')}>{st ? '  clean' : ''}</Text>
        )}
        <Text>{`  ${pending} pending`}</Text>
        {drift?.status === 'found' ? (
          <Text bold inverse color={fg(theme, 'red')}>{` DRIFT: ${drift.count} difference${drift.count === 1 ? '' : 's'} (see log) `}</Text>
        ) : drift?.status === 'checking' ? (
          <Text color={fg(theme, 'yellow')}>{'  checking drift…'}</Text>
        ) : drift?.status === 'none' && drift.version === (st?.version ?? null) ? (
          <Text color={fg(theme, 'green')}>{'  no drift'}</Text>
        ) : null}
        {db.error ? (
          <Text color={fg(theme, 'red')} bold>{`  database unreachable: ${db.error}`}</Text>
        ) : db.lockHolder ? (
          <Text color={fg(theme, 'yellow')} bold>{`  lock held by ${db.lockHolder}`}</Text>
        ) : (
          <Text color={fg(theme, 'gray')}>{'  lock free'}</Text>
        )}
        {info.toolLocks === false && !db.error ? <Text color={fg(theme, 'yellow')}>{` (${tool} may ignore it: see ?)`}</Text> : null}
        <Text color={fg(theme, 'gray')}>{`  ${info.table}`}</Text>
      </Text>
    </Box>
  );
});

/** A long absolute folder gives way to the database: its last part stands for it (the whole path is in `?`). */
function shortFolder(folder: string): string {
  if (folder.length <= 28 || !folder.startsWith('/')) return folder;
  const parts = folder.split('/').filter(Boolean);
  return `…/${parts.slice(-1).join('/')}`;
}
