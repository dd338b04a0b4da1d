import type { DryRunStep, DryRunView } from './state.js';
import { wrapLines } from './text.js';

export type DryRunTone = 'title' | 'text' | 'ok' | 'fail' | 'skip' | 'notice' | 'change' | 'sql';

/** One line of the dry-run panel. */
export interface DryRunLine {
  tone: DryRunTone;
  text: string;
}

const MARK: Record<DryRunStep['status'], string> = { ok: '✓', 'would-fail': '✗', 'not-rehearsed': '·' };
const TONE: Record<DryRunStep['status'], DryRunTone> = { ok: 'ok', 'would-fail': 'fail', 'not-rehearsed': 'skip' };

function ms(n: number | null): string {
  if (n === null) return '';
  return n < 1 ? `${n.toFixed(2)}ms` : n < 1000 ? `${n.toFixed(1)}ms` : `${(n / 1000).toFixed(2)}s`;
}

/**
 * What the dry run found, every line wrapped whole to the panel (inner: its content width): a heading that
 * says nothing was changed, then per step its outcome and duration, the failing line, why it was not
 * rehearsed, its notices and its schema diff.
 */
export function dryRunLines(v: DryRunView, inner: number): DryRunLine[] {
  const w = Math.max(10, inner);
  const wrap = (tone: DryRunTone, text: string, indent = ''): DryRunLine[] =>
    // Room for the two-space indent of continuation rows, so no row is wider than the panel.
    wrapLines(text, Math.max(4, w - indent.length - 2), Number.MAX_SAFE_INTEGER).map((t, i) => ({ tone, text: i === 0 ? `${indent}${t}` : `${indent}  ${t}` }));
  if (v.status === 'running') return wrap('text', `Rehearsing ${v.title} in a transaction that will be rolled back…`);
  if (v.status === 'error') return [...wrap('fail', `The dry run could not run: ${v.error ?? 'unknown error'}`), ...wrap('text', 'Nothing was changed.')];
  const n = v.steps.length;
  const failing = v.steps.filter((s) => s.status === 'would-fail').length;
  const skipped = v.steps.filter((s) => s.status === 'not-rehearsed').length;
  const copied = v.steps.filter((s) => s.onScratch).length;
  const where = copied === 0 ? 'in a transaction that was rolled back' : copied === n ? 'on a scratch copy, dropped afterwards' : `in a transaction that was rolled back (${copied} on a scratch copy, dropped afterwards)`;
  const out: DryRunLine[] = [
    ...wrap('title', `Dry run of ${v.title}: ${n} step${n === 1 ? '' : 's'} rehearsed ${where}. Nothing was changed: no schema change, no tracking row, no journal row.`),
    ...wrap(failing > 0 ? 'fail' : 'text', failing > 0 ? `${failing} step${failing === 1 ? '' : 's'} would fail.` : skipped > 0 ? `${skipped} could not be rehearsed (see why below); the rest would succeed.` : 'Every step would succeed.'),
    { tone: 'text', text: '' },
  ];
  for (const s of v.steps) {
    const d = ms(s.durationMs);
    const what = s.status === 'ok' ? `would succeed${d ? ` (${d})` : ''}` : s.status === 'would-fail' ? `WOULD FAIL${d ? ` after ${d}` : ''}` : 'not rehearsed';
    out.push(...wrap(TONE[s.status], `${MARK[s.status]} ${s.label}: ${what}`));
    if (s.error) {
      out.push(...wrap('fail', `${s.error.message}${s.error.where ? ` at ${s.error.where}` : ''}`, '    '));
      if (s.error.lineText !== undefined) out.push({ tone: 'sql', text: `    ${s.error.line ?? ''} | ${s.error.lineText}` });
    }
    if (s.reason) out.push(...wrap('skip', `why: ${s.reason}`, '    '));
    for (const x of s.notices) out.push(...wrap('notice', x, '    '));
    for (const c of s.changes) out.push(...wrap('change', c, '    '));
    if (s.status === 'ok' && s.changes.length === 0 && s.notices.length === 0) out.push({ tone: 'text', text: '    (no change to the schema)' });
  }
  return out;
}
