import React, { memo } from 'react';
import { Box, Text } from 'ink';
import type { DbView, Info } from '../state.js';
import type { StatusRow } from '../../engine/status.js';
import { fg, type Theme } from '../theme.js';
import { NIL_VERSION } from '../../formats/types.js';

export interface HeaderProps {
  info: Info;
  db: DbView;
  rows: StatusRow[];
  width: number;
  theme: Theme;
}

/** Two lines: where (database, format, folder) and what state (version, dirty, pending, lock). */
export const Header = memo(function Header({ info, db, rows, width, theme }: HeaderProps) {
  const st = db.state;
  const current = st ? rows.find((r) => r.current) : undefined;
  const pending = rows.filter((r) => r.state === 'pending').length;
  const version = !st ? 'reading…' : st.version === NIL_VERSION ? 'none' : `${st.version}${current?.name ? ` ${current.name}` : ''}`;
  const source = info.source === 'sandbox' ? ' (sandbox)' : '';
  return (
    <Box flexDirection="column" width={width} height={2} flexShrink={0}>
      <Text wrap="truncate-end">
        <Text bold color={fg(theme, 'cyan')}>
          {' Ladder '}
        </Text>
        <Text>{` ${info.database}${source}`}</Text>
      </Text>
      <Text wrap="truncate-end">
        <Text>{' version '}</Text>
        <Text bold>{version}</Text>
        {st?.dirty ? (
          <Text bold inverse color={fg(theme, 'red')}>
            {' DIRTY '}
          </Text>
        ) : (
          <Text color={fg(theme, 'green')}>{st ? '  clean' : ''}</Text>
        )}
        <Text>{`  ${pending} pending`}</Text>
        {db.error ? (
          <Text color={fg(theme, 'red')} bold>{`  database unreachable: ${db.error}`}</Text>
        ) : db.lockHolder ? (
          <Text color={fg(theme, 'yellow')} bold>{`  lock held by ${db.lockHolder}`}</Text>
        ) : (
          <Text color={fg(theme, 'gray')}>{'  lock free'}</Text>
        )}
        <Text color={fg(theme, 'gray')}>{`  ${info.format} ${info.folder}/`}</Text>
      </Text>
    </Box>
  );
});
