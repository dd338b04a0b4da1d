import React, { memo } from 'react';
import { Box, Text } from 'ink';
import type { RunView } from '../state.js';
import { clock } from '../log-lines.js';
import { wrapLines } from '../text.js';
import { fitWidth, highlightLines } from '../highlight.js';
import { fg, type Theme } from '../theme.js';
import { Panel } from './panel.js';
import { ChoiceMenu } from './choice-menu.js';
import { menuRows as cancelMenuRows } from '../menu-lines.js';
import type { CancelChoice } from '../controller.js';

export interface RunPanelProps {
  run: RunView;
  now: number;
  width: number;
  height: number;
  cancelMenu: boolean;
  onCancelChoice: (c: CancelChoice) => void;
  theme: Theme;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

export function elapsed(ms: number): string {
  const v = Math.max(0, ms);
  if (v < 1000) return `${Math.round(v)}ms`;
  if (v < 60_000) return `${(v / 1000).toFixed(1)}s`;
  const m = Math.floor(v / 60_000);
  return `${m}m${Math.floor((v % 60_000) / 1000)}s`;
}

const CANCEL_CHOICES: { value: CancelChoice; label: string }[] = [
  { value: 'stop', label: 'Stop after this step; skip the rest' },
  { value: 'cancel-now', label: 'Cancel the statement now (leaves it dirty)' },
  { value: 'keep', label: 'Keep running' },
];

/** The plan while it runs: a spinner and elapsed time on the running step, results above, the rest below. */
export const RunPanel = memo(function RunPanel({ run, now, width, height, cancelMenu, onCancelChoice, theme }: RunPanelProps) {
  const total = run.labels.length;
  const spin = SPINNER[Math.floor(now / 80) % SPINNER.length]!;
  const menuRows = cancelMenu ? 1 + cancelMenuRows(CANCEL_CHOICES.map((c) => c.label), width - 2) : 0;
  const statusRows = run.stopRequested || run.lockWait || !run.started ? 1 : 0;
  const free = Math.max(1, height - menuRows - statusRows);
  // The running step's SQL takes what the step list does not need (at least a third of the panel for the list).
  const sql = run.sql && run.sql.index === run.index && run.sql.doc && run.running ? run.sql : null;
  const stepRows = sql && free >= 8 ? Math.min(total, Math.max(3, Math.floor(free / 3))) : free;
  const sqlRows = sql && free >= 8 ? free - stepRows : 0;
  const byIndex = new Map(run.results.map((r) => [r.index, r]));
  const start = Math.max(0, Math.min(run.index - Math.floor(stepRows / 3), total - stepRows));
  const lines: React.ReactNode[] = [];
  for (let i = start; i < Math.min(total, start + stepRows); i++) {
    const label = run.labels[i]!;
    const r = byIndex.get(i);
    if (r && !r.ok)
      lines.push(
        <Text key={i} color={fg(theme, 'red')} bold wrap="truncate-end">{`✗ ${r.text}`}</Text>,
      );
    else if (i < run.index)
      lines.push(
        <Text key={i} color={fg(theme, 'green')} wrap="truncate-end">{`✓ ${r ? r.text : label}`}</Text>,
      );
    else if (i === run.index && run.running)
      lines.push(
        <Text key={i} bold wrap="truncate-end">
          <Text color={fg(theme, 'cyan')}>{`${spin} `}</Text>
          {label}
          <Text color={fg(theme, 'yellow')}>{`  ${elapsed(now - run.stepStartedAt)}`}</Text>
        </Text>,
      );
    else
      lines.push(
        <Text key={i} color={fg(theme, 'gray')} wrap="truncate-end">{`· ${label}`}</Text>,
      );
  }
  while (lines.length < stepRows) lines.push(<Text key={`e${lines.length}`}> </Text>);
  if (sql && sqlRows > 0) lines.push(...runningSql(sql, sqlRows, width - 2, run, now, theme));
  const title = `Running: ${run.title}`;
  const right = `${run.completed}/${total}  ${elapsed(now - run.startedAt)}`;
  return (
    <Panel title={title} right={right} width={width} rows={height} focused theme={theme}>
      {lines}
      {run.lockWait ? (
        <Text color={fg(theme, 'yellow')} wrap="truncate-end">{`${spin} waiting for the migration lock held by ${run.lockWait}`}</Text>
      ) : !run.started && !run.stopRequested ? (
        <Text color={fg(theme, 'gray')} wrap="truncate-end">{`${spin} taking the migration lock and checking the plan against the database…`}</Text>
      ) : run.stopRequested ? (
        <Text color={fg(theme, 'yellow')} bold wrap="truncate-end">
          {run.cancelSent ? 'Cancelling the running statement…' : 'Stop requested: finishing the running step; the rest will not run.'}
        </Text>
      ) : null}
      {cancelMenu ? (
        <Box flexDirection="column" height={menuRows} flexShrink={0}>
          <Text bold color={fg(theme, 'yellow')} wrap="truncate-end">
            {`Cancel the run? (${run.labels[run.index] ?? 'a step'} is running)`}
          </Text>
          <ChoiceMenu<CancelChoice>
            theme={theme}
            onSelect={onCancelChoice}
            width={width - 2}
            items={CANCEL_CHOICES}
          />
        </Box>
      ) : null}
    </Panel>
  );
});

/**
 * The running step's SQL with its statements marked. golang-migrate's protocol sends the file as one
 * simple query, and PostgreSQL reports nothing finer while it runs: every statement of the query is
 * marked as running, and the heading says since when.
 */
function runningSql(sql: NonNullable<RunView['sql']>, rows: number, inner: number, run: RunView, now: number, theme: Theme): React.ReactNode[] {
  const doc = sql.doc!;
  const spans = sql.spans ?? [];
  const n = spans.length;
  const since = `running since ${clock(run.stepStartedAt)} (${elapsed(now - run.stepStartedAt)})`;
  const what = n === 1 ? '1 statement' : n > 1 ? `${n} statements, sent as one query (PostgreSQL does not say which one runs)` : 'the file, as one query';
  const heading = wrapLines(`── ${since}: ${what}`, Math.max(10, inner), Math.max(1, rows - 2));
  const body = Math.max(0, rows - heading.length);
  const first = n > 0 ? spans[0]![0] : 0;
  const top = Math.max(0, Math.min(first, doc.lineCount - body));
  const hl = highlightLines(doc, top, body, theme.color);
  const inStatement = (i: number) => spans.some(([a, b]) => i >= a && i <= b);
  const gw = String(doc.firstLine + doc.lineCount).length;
  const out: React.ReactNode[] = heading.map((h, i) => (
    <Text key={`sqlh${i}`} color={fg(theme, 'yellow')} bold>
      {h}
    </Text>
  ));
  for (let y = 0; y < body; y++) {
    const i = top + y;
    if (i >= doc.lineCount) {
      out.push(<Text key={`sq${y}`}> </Text>);
      continue;
    }
    const on = inStatement(i);
    out.push(
      <Text key={`sq${y}`} wrap="truncate-end">
        <Text color={fg(theme, on ? 'yellow' : 'gray')} bold={on}>{`${on ? '▶' : ' '}${String(doc.firstLine + i + 1).padStart(gw)} │ `}</Text>
        {fitWidth(hl[y] ?? '', inner - gw - 4)}
      </Text>,
    );
  }
  return out;
}
