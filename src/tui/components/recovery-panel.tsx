import React, { memo } from 'react';
import { Box, Text } from 'ink';
import { NIL_VERSION } from '../../formats/types.js';
import type { UiState } from '../state.js';
import type { RecoveryItem } from '../recovery-choices.js';
import { fg, type Theme } from '../theme.js';
import { Panel } from './panel.js';
import { guideLayout, explanationLines } from '../recovery-lines.js';
import { ChoiceMenu } from './choice-menu.js';

export interface RecoveryPanelProps {
  db: UiState['db'];
  recovery: UiState['recovery'];
  failure: UiState['failure'];
  items: RecoveryItem[];
  width: number;
  rows: number;
  onChoose: (index: number) => void;
  onHighlight: (index: number) => void;
  theme: Theme;
}

/**
 * Opens first when the database is dirty: what happened (the engine's diagnosis, as "ladder recover"
 * explains it) and the ways out, each of which shows its plan and asks y/N before anything runs.
 */
export const RecoveryPanel = memo(function RecoveryPanel({ db, recovery, failure, items, width, rows, onChoose, onHighlight, theme }: RecoveryPanelProps) {
  const v = db.state?.version ?? NIL_VERSION;
  const diag = recovery.diagnosis;
  const head: React.ReactNode[] = [];
  if (!diag) {
    if (failure)
      head.push(
        <Text key="f" color={fg(theme, 'red')} wrap="truncate-end">{`Last failure: ${failure.direction} ${failure.version}: ${failure.message}`}</Text>,
      );
    head.push(
      <Text key="t" wrap="truncate-end">
        {recovery.status === 'loading'
          ? 'A migration stopped part-way; working out which one and what it left behind…'
          : 'A migration stopped part-way (it failed or was cancelled): the schema may be half-changed. Force runs no SQL: it only records a version.'}
      </Text>,
    );
    if (recovery.error) head.push(<Text key="e" color={fg(theme, 'gray')} wrap="truncate-end">{`(no diagnosis: ${recovery.error})`}</Text>);
  }
  // Every line is budgeted (guideLayout, which the reducer's J/K scrolling uses too): the menu stays whole.
  const g = guideLayout(diag, items, recovery.highlighted, rows, width, head.length);
  if (diag) {
    explanationLines(diag, width).forEach((line, i) =>
      head.push(
        <Text key={`x${i}`} wrap="truncate-end">
          {line}
        </Text>,
      ),
    );
    diag.candidates.forEach((r, i) => {
      const k = r.candidate;
      const shown = diag.candidates.length > 1 && i === g.candidate ? '▸ ' : '';
      const e = r.error;
      const step = `${k.direction} ${k.version}${k.name ? ` ${k.name}` : ''}`;
      const at = e?.line ? `line ${e.line}${e.column ? `:${e.column}` : ''}` : '';
      // The explanation above (as explanationLines shows it) may already name the step and quote the message:
      // then the line's room goes to where it failed and PostgreSQL's DETAIL (the missing key, the objects
      // that depend), which must not be cut at 80 columns.
      const told = r.certain && e !== undefined && at !== '' && (diag.headline ?? diag.explanation).includes(e.message);
      const extra = (e?.detail ?? e?.hint ?? '').replace(/\s*\n\s*/g, ' ');
      const what = `${shown}${r.certain ? 'What failed' : 'If this failed'}: ${told ? '' : step}`;
      const changed = r.fileChanged ? ' (file changed since it failed)' : r.fileMissing ? ' (file missing)' : '';
      const err = !e ? '' : told ? `${at}${extra ? ` · ${extra}` : ''}` : ` · ${at ? `${at}: ` : ''}${e.message}${extra ? ` · ${extra}` : ''}`;
      head.push(
        <Text key={`c${i}`} wrap="truncate-end">
          <Text bold>{what}</Text>
          {!told && <Text color={fg(theme, 'yellow')}>{changed}</Text>}
          <Text color={fg(theme, 'red')}>{err}</Text>
          {told && <Text color={fg(theme, 'yellow')}>{changed}</Text>}
        </Text>,
      );
    });
    const r = g.candidate >= 0 ? diag.candidates[g.candidate] : undefined;
    g.summary.forEach((line, i) =>
      head.push(
        <Text key={`s${i}`} color={fg(theme, 'gray')} wrap="truncate-end">
          {line}
        </Text>,
      ),
    );
    if (r?.parseError) {
      const p = r.parseError;
      head.push(
        <Text key="p" color={fg(theme, 'red')} wrap="truncate-end">
          {`Syntax error in the file${p.line ? ` at line ${p.line}${p.column ? `:${p.column}` : ''}` : ''}: ${p.message}`}
        </Text>,
      );
    }
  }
  const heads = head.slice(0, g.heads);
  const detail: React.ReactNode[] = [];
  if (g.detailRows > 0) {
    const top = Math.max(0, Math.min(recovery.detailTop, g.maxTop));
    g.lines.slice(top, top + g.window).forEach((l, i) => {
      const failed = l.tone === 'failed';
      const color =
        l.tone === 'summary'
          ? fg(theme, 'gray')
          : l.tone === 'failed' || l.tone === 'object-missing'
          ? undefined
          : l.tone === 'kept' || l.tone === 'object-exists'
            ? fg(theme, 'green')
            : l.tone === 'rolled-back' || l.tone === 'unknown' || l.tone === 'object-unknown'
              ? fg(theme, 'yellow')
              : fg(theme, 'gray');
      detail.push(
        <Text key={`d${top + i}`} wrap="truncate-end" color={failed ? fg(theme, 'red') : color} inverse={failed} bold={failed}>
          {l.text}
        </Text>,
      );
    });
    if (g.window < g.lines.length) {
      const above = top;
      const below = g.lines.length - top - g.window;
      const parts = [above > 0 ? `↑ ${above} above` : '', below > 0 ? `… ${below} more` : ''].filter(Boolean).join(' · ');
      detail.push(
        <Text key="more" color={fg(theme, 'gray')} wrap="truncate-end">
          {`${parts} (scroll with J/K)`}
        </Text>,
      );
    }
  }
  return (
    <Panel title={title(diag, v)} width={width} rows={rows} focused theme={theme}>
      <Box flexDirection="column" height={rows} overflow="hidden">
        {heads}
        {detail.length > 0 ? (
          <Box flexDirection="column" height={detail.length} flexShrink={0}>
            {detail}
          </Box>
        ) : null}
        {g.gap ? <Text> </Text> : null}
        <Box flexDirection="column" height={g.menu} flexShrink={0}>
          <ChoiceMenu<string>
            theme={theme}
            width={width - 2}
            items={items.map((it, i) => ({ label: it.label, value: String(i) }))}
            onSelect={(val) => onChoose(Number(val))}
            onHighlight={(val) => onHighlight(Number(val))}
          />
        </Box>
        {g.consequence.map((line, i) => (
          <Text key={`q${i}`} color={fg(theme, 'gray')} wrap="truncate-end">
            {line}
          </Text>
        ))}
        {g.warning.map((line, i) => (
          <Text key={`w${i}`} color={fg(theme, 'yellow')} wrap="truncate-end">
            {line}
          </Text>
        ))}
      </Box>
    </Panel>
  );
});

/** A dirty flag names the version; a tool without one (a half-done step it counts as pending) names the step. */
function title(diag: UiState['recovery']['diagnosis'], v: string): string {
  const k = diag?.headline ? diag.candidates[0]?.candidate : undefined;
  if (k) return `Recovery: ${k.direction} ${k.version}${k.name ? ` ${k.name}` : ''} did not finish`;
  return `Recovery: the database is dirty at ${v === NIL_VERSION ? 'no version (-1)' : `version ${v}`}`;
}
