import type { CandidateReport, RecoveryCase, StatementReport } from '../engine/diagnose.js';
import type { StatementFate } from '../engine/effects.js';
import { describeObject } from '../db/object-check.js';
import type { RecoveryItem } from './recovery-choices.js';
import { wrapLines } from './text.js';
import { menuRows } from './menu-lines.js';

export type DetailTone = StatementFate | 'object-exists' | 'object-missing' | 'object-unknown' | 'summary';

/** One line of the recovery guide's statement breakdown. */
export interface DetailLine {
  tone: DetailTone;
  text: string;
}

export const FATE_MARK: Record<StatementFate, string> = {
  kept: '✓',
  'rolled-back': '↺',
  failed: '✗',
  'not-run': '·',
  unknown: '?',
};

/** Which candidate the breakdown shows: the one whose way out is highlighted, else the first. */
export function detailCandidate(diag: RecoveryCase | null, items: RecoveryItem[], highlighted: number): number {
  if (!diag || diag.candidates.length === 0) return -1;
  const it = items[Math.min(highlighted, items.length - 1)];
  return it?.choice.kind === 'option' && it.choice.candidate < diag.candidates.length ? it.choice.candidate : 0;
}

function span(s: StatementReport): string {
  return s.startLine === s.endLine ? `line ${s.startLine}` : `lines ${s.startLine}-${s.endLine}`;
}

/**
 * One line per statement (fate marker, line range, first line of its text; the failed one also says
 * where the error is), and under each statement the objects it creates, drops or alters, checked in
 * the catalog now.
 */
export function statementLines(r: CandidateReport): DetailLine[] {
  const spanW = Math.max(0, ...r.statements.map((s) => span(s).length));
  const out: DetailLine[] = [];
  for (const s of r.statements) {
    const first = (s.text.split('\n').find((l) => l.trim() !== '') ?? '').trim();
    let at = '';
    if (s.fate === 'failed') {
      const e = r.error ?? r.parseError;
      at = e?.line ? `error at ${e.line}${e.column ? `:${e.column}` : ''} · ` : 'error · ';
    }
    out.push({ tone: s.fate, text: `${FATE_MARK[s.fate]} ${span(s).padEnd(spanW)}  ${at}${first}` });
    for (const o of s.objects) {
      const now = o.existsNow === null ? 'could not check' : o.existsNow ? 'exists now' : 'does not exist';
      out.push({
        tone: o.existsNow === null ? 'object-unknown' : o.existsNow ? 'object-exists' : 'object-missing',
        text: `${' '.repeat(spanW + 4)}${o.action} ${describeObject(o)}: ${now}`,
      });
    }
  }
  return out;
}

export interface GuideLayout {
  /** Heading lines above the breakdown (explanation, one per candidate, summary, syntax error). */
  heads: number;
  /** The candidate whose breakdown is shown (-1: none). */
  candidate: number;
  lines: DetailLine[];
  /** "What PostgreSQL kept: …", wrapped to at most two lines. */
  summary: string[];
  /** Rows given to the breakdown, including the "… more" line. */
  detailRows: number;
  /** Breakdown lines shown at once (detailRows less the "… more" line when it does not all fit). */
  window: number;
  maxTop: number;
  gap: boolean;
  /** Rows of the menu: every way out whole, wrapped. */
  menu: number;
  consequence: string[];
  warning: string[];
}

/**
 * Every line of the guide is budgeted, so the menu always stays whole: first the ways out, then the
 * headings, then the statement breakdown (at least a few lines, scrollable with J/K), then what the
 * highlighted way out does.
 */
export function guideLayout(diag: RecoveryCase | null, items: RecoveryItem[], highlighted: number, rows: number, width: number, headsWithout: number): GuideLayout {
  const inner = Math.max(1, width - 2);
  const candidate = detailCandidate(diag, items, highlighted);
  const r = candidate >= 0 ? diag!.candidates[candidate] : undefined;
  const menu = menuRows(items.map((it) => it.label), inner);
  // What PostgreSQL kept heads the breakdown: whole, wrapped, and scrolled with it (J/K) when the screen is short,
  // so neither it nor what a way out does is ever cut.
  const kept: DetailLine[] = r?.effects ? wrapLines(`What PostgreSQL kept: ${r.effects.summary}`, inner, Number.MAX_SAFE_INTEGER).map((text) => ({ tone: 'summary', text })) : [];
  const lines = r ? [...kept, ...statementLines(r)] : [];
  const summary: string[] = [];
  let heads = headsWithout;
  if (diag) heads = explanationLines(diag, width).length + diag.candidates.length + summary.length + (r?.parseError ? 1 : 0);
  heads = Math.min(heads, Math.max(0, rows - menu - 1));
  const hi = items[Math.min(highlighted, items.length - 1)];
  let free = Math.max(0, rows - heads - menu);
  // What a way out does and what to watch for is prose the user decides on: it wraps whole (up to 4 + 3
  // lines), taking rows from the statement breakdown, which scrolls.
  const consAll = hi?.consequence ? wrapLines(hi.consequence, inner, 4).length : 0;
  const warnAll = hi?.warning ? wrapLines(`! ${hi.warning}`, inner, 6).length : 0;
  const consWant = consAll + warnAll;
  let detailRows = 0;
  if (lines.length > 0) {
    const room = free - consWant - 1; // one blank line between the breakdown and the menu
    // What a way out does is read before choosing: the breakdown keeps at least a line and its "… more" (it scrolls).
    detailRows = lines.length <= room ? lines.length : Math.min(lines.length, Math.max(room, Math.min(2, free)));
    detailRows = Math.max(0, Math.min(detailRows, free));
  }
  free -= detailRows;
  const gap = free > consWant;
  if (gap) free--;
  const consequence = hi?.consequence ? wrapLines(hi.consequence, inner, Math.max(0, Math.min(consAll, free - warnAll))) : [];
  free -= consequence.length;
  const warning = hi?.warning ? wrapLines(`! ${hi.warning}`, inner, Math.min(warnAll, free)) : [];
  const window = lines.length <= detailRows ? lines.length : Math.max(1, detailRows - 1);
  return { heads, candidate, lines, summary, detailRows, window, maxTop: Math.max(0, lines.length - window), gap, menu, consequence, warning };
}

/** Where the breakdown starts scrolled: the failed statement in view, with one line of context above it. */
export function initialDetailTop(g: GuideLayout): number {
  const at = g.lines.findIndex((l) => l.tone === 'failed');
  if (at < 0) return 0;
  if (at < g.window) return 0;
  // One line of context above it, when the window has room for more than the failed line itself.
  return Math.min(g.maxTop, Math.max(0, g.window >= 3 ? at - 1 : at));
}

/** The diagnosis's explanation, wrapped to the panel (at most 3 lines). */
export function explanationLines(diag: RecoveryCase, width: number): string[] {
  // A tool without a dirty flag: what did not finish and what its table records (the failure itself is on
  // the "What failed" line below, and the journal entry in H), so the ways out keep their room at 80x24.
  return wrapLines(diag.headline ?? diag.explanation, Math.max(1, width - 2), 3);
}
