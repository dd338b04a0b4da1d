import React, { memo } from 'react';
import { Box, Text } from 'ink';
import type { PlanView } from '../state.js';
import { confirmLines, planLineCount, planWindow, type PlanLine } from '../plan-lines.js';
import { fitWidth, highlightLines } from '../highlight.js';
import { fg, type Theme } from '../theme.js';
import { Panel } from './panel.js';

export interface PlanPanelProps {
  plan: PlanView;
  top: number;
  /** Rows for the plan text; two more lines hold the confirmation. */
  rows: number;
  width: number;
  confirmInput: string;
  confirmError: string | null;
  database: string;
  theme: Theme;
  /** Changes when the highlighter has loaded. */
  epoch: number;
}

/** Every step with the SQL that will run, then the question. Nothing runs before y (or the typed name). */
export const PlanPanel = memo(function PlanPanel({ plan, top, rows, width, confirmInput, confirmError, database, theme }: PlanPanelProps) {
  const inner = Math.max(1, width - 2);
  const lines = planWindow(plan, top, rows, inner);
  const sqlText = highlightRuns(lines, theme.color);
  const out: React.ReactNode[] = lines.map((l, i) => renderLine(l, i, sqlText[i], theme, width - 2));
  while (out.length < rows) out.push(<Text key={`e${out.length}`}> </Text>);
  const total = planLineCount(plan, inner);
  const question = confirmLines(plan, database, inner);
  const right = total > rows ? `${top + 1}-${Math.min(total, top + rows)}/${total}` : '';
  const n = plan.steps.length + plan.moreSteps;
  return (
    <Panel title="Plan" right={right} width={width} rows={rows + 1 + question.length + 1} focused theme={theme}>
      {out}
      {plan.confirm.kind === 'yes' ? (
        <>
          <Text color={fg(theme, 'gray')} wrap="truncate-end">
            {'─'.repeat(Math.max(0, width - 2))}
          </Text>
          {question.map((q, i) => (
            <Text key={`q${i}`} bold color={fg(theme, 'yellow')}>
              {q}
            </Text>
          ))}
          <Text color={fg(theme, 'gray')} wrap="truncate-end">
            {plan.baseline ? 'y records · n or esc cancels · j/k scroll' : `y runs${n > 1 ? ' · s runs it step by step' : ''} · d dry run · n or esc cancels · j/k scroll`}
          </Text>
        </>
      ) : (
        <>
          <Text color={fg(theme, 'gray')} wrap="truncate-end">
            {'─'.repeat(Math.max(0, width - 2))}
          </Text>
          {question.map((q, i) => (
            <Text key={`q${i}`} bold color={fg(theme, 'red')}>
              {q}
            </Text>
          ))}
          <Box>
            <Text wrap="truncate-end">
              <Text bold>{'> '}</Text>
              <Text>{`${confirmInput}▌`}</Text>
              {confirmError ? <Text color={fg(theme, 'red')} bold>{`  ${confirmError}`}</Text> : <Text color={fg(theme, 'gray')}>{plan.baseline ? '  enter runs · esc cancels' : '  enter runs · ctrl-d dry run · esc cancels'}</Text>}
            </Text>
          </Box>
        </>
      )}
    </Panel>
  );
});

/** Highlights consecutive SQL lines of the same document together (one highlighter call per run of lines). */
function highlightRuns(lines: PlanLine[], color: boolean): (string | undefined)[] {
  const out: (string | undefined)[] = new Array(lines.length).fill(undefined);
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.kind !== 'sql') {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < lines.length) {
      const m = lines[j]!;
      if (m.kind !== 'sql' || m.doc !== l.doc || m.line !== l.line + (j - i)) break;
      j++;
    }
    const hl = highlightLines(l.doc, l.line, j - i, color);
    for (let k = i; k < j; k++) out[k] = hl[k - i];
    i = j;
  }
  return out;
}

function renderLine(l: PlanLine, i: number, sql: string | undefined, theme: Theme, inner: number): React.ReactNode {
  switch (l.kind) {
    case 'title':
      return (
        <Text key={i} bold wrap="truncate-end">
          {l.text}
        </Text>
      );
    case 'text':
      return (
        <Text key={i} wrap="truncate-end" color={fg(theme, 'gray')}>
          {l.text}
        </Text>
      );
    case 'step':
      return (
        <Text key={i} wrap="truncate-end">
          <Text bold color={fg(theme, 'yellow')}>
            {l.text}
          </Text>
          <Text color={fg(theme, 'gray')}>{`  ${l.detail}`}</Text>
          {l.lint ? <Text bold color={fg(theme, l.lint.includes('✗') ? 'red' : 'yellow')}>{`  ${l.lint}`}</Text> : null}
        </Text>
      );
    case 'finding':
      return (
        <Text key={i} wrap="truncate-end" bold color={fg(theme, l.severity === 'error' ? 'red' : l.severity === 'warning' ? 'yellow' : 'gray')}>
          {l.text}
        </Text>
      );
    case 'sql':
      return (
        <Text key={i} wrap="truncate-end">
          <Text color={fg(theme, 'gray')}>{`   ${String(l.doc.firstLine + l.line + 1).padStart(l.gutter)} │ `}</Text>
          {fitWidth(sql ?? '', inner - 3 - l.gutter - 3)}
        </Text>
      );
    case 'literal':
      return (
        <Text key={i} wrap="truncate-end">
          {`     ${l.text}`}
        </Text>
      );
    case 'blank':
      return <Text key={i}> </Text>;
  }
}
