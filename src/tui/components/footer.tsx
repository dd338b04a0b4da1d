import React, { memo } from 'react';
import { Text } from 'ink';
import { fitHints, type KeyHint } from '../keys-help.js';
import { fg, type Theme } from '../theme.js';

export interface FooterProps {
  hints: KeyHint[];
  /** A text input shown before the hints (filter, force version). */
  input?: { label: string; value: string; note?: string; error?: string | null; noCursor?: boolean };
  width: number;
  theme: Theme;
}

/** The keys that work right now (and the line being typed, if any). */
export const Footer = memo(function Footer({ hints, input, width, theme }: FooterProps) {
  const cursor = input?.noCursor ? ' ' : '▌ ';
  const prefix = input ? `${input.label}${input.value}${cursor}${input.error ? `${input.error} ` : input.note ? `(${input.note}) ` : ''}` : '';
  const fitted = fitHints(hints, Math.max(0, width - [...prefix].length - 1));
  return (
    <Text wrap="truncate-end">
      {input ? (
        <>
          <Text bold>{input.label}</Text>
          <Text>{`${input.value}${cursor}`}</Text>
          {input.error ? <Text color={fg(theme, 'red')} bold>{`${input.error} `}</Text> : input.note ? <Text color={fg(theme, 'gray')}>{`(${input.note}) `}</Text> : null}
        </>
      ) : (
        ' '
      )}
      {fitted.map((h, i) => (
        <Text key={i}>
          <Text bold color={fg(theme, 'cyan')}>
            {h.key}
          </Text>
          <Text color={fg(theme, 'gray')}>{` ${h.label}  `}</Text>
        </Text>
      ))}
    </Text>
  );
});
