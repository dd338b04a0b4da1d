import type { PlanView } from './state.js';
import type { SqlDocument } from './sql-document.js';
import { wrapLines } from './text.js';

/** One line of the plan panel: a heading, a note, or line `line` of a step's SQL. */
export type PlanLine =
  | { kind: 'title'; text: string }
  | { kind: 'text'; text: string }
  | { kind: 'step'; text: string; detail: string; lint?: string }
  | { kind: 'finding'; severity: 'error' | 'warning' | 'info'; text: string }
  | { kind: 'sql'; doc: SqlDocument; line: number; gutter: number }
  | { kind: 'literal'; text: string }
  | { kind: 'blank' };

function stepLength(s: PlanView['steps'][number]): number {
  const more = s.doc && s.doc.lineCount > s.shown ? 1 : 0;
  return 1 + (s.doc ? s.shown : s.lines.length) + more + 1;
}

/** Prose wraps to the panel (inner: its content width); nothing of it is cut. */
function wrap(text: string, inner: number): string[] {
  return wrapLines(text, Math.max(10, inner), Number.MAX_SAFE_INTEGER);
}

const MARK = { error: '✗', warning: '⚠', info: 'i' } as const;
const blocks = new WeakMap<PlanView, { width: number; lines: PlanLine[] }>();

/**
 * The lint block above the steps: a heading, then per finding its rule and place, and why and the fix
 * wrapped to the panel (`width`: inner columns; none, one line each). Built once per plan and width.
 */
function findingBlock(plan: PlanView, width = 0): PlanLine[] {
  const findings = plan.findings ?? [];
  if (findings.length === 0) return [];
  const cached = blocks.get(plan);
  if (cached && cached.width === width) return cached.lines;
  const wrap = (label: string, text: string): PlanLine[] =>
    (width > 12 ? wrapLines(`${label} ${text}`, width - 4, 1000) : [`${label} ${text}`]).map((t) => ({ kind: 'text', text: `    ${t}` }));
  const count = (sev: string) => findings.filter((f) => f.severity === sev).length;
  const lines: PlanLine[] = [{ kind: 'title', text: `Lint: ${count('error')} error(s), ${count('warning')} warning(s), ${count('info')} info, marked on the steps below` }];
  for (const f of findings) {
    lines.push({ kind: 'finding', severity: f.severity, text: `${MARK[f.severity]} ${f.severity} [${f.rule}] step ${f.step + 1}, ${f.where}` });
    if (f.statement) lines.push({ kind: 'literal', text: f.statement });
    lines.push(...wrap('why:', f.message), ...wrap('fix:', f.fix));
  }
  lines.push({ kind: 'blank' });
  blocks.set(plan, { width, lines });
  return lines;
}

/** Title, warning and summary, wrapped, then a blank line. */
function headLines(plan: PlanView, inner: number): PlanLine[] {
  const out: PlanLine[] = wrap(plan.title, inner).map((text) => ({ kind: 'title', text }));
  for (const note of [plan.warning, plan.summary, ...(plan.notes ?? [])]) {
    if (!note) continue;
    // A note's indent (a list under a heading) is kept on every wrapped line of it.
    const indent = note.length - note.trimStart().length;
    for (const text of wrap(note, inner - indent)) out.push({ kind: 'text', text: ' '.repeat(indent) + text });
  }
  out.push({ kind: 'blank' });
  return out;
}

/** How many lines the whole plan takes (for scrolling) in a panel `inner` columns wide. */
export function planLineCount(plan: PlanView, inner: number): number {
  let n = headLines(plan, inner).length + findingBlock(plan, inner).length;
  for (const s of plan.steps) n += stepLength(s);
  if (plan.moreSteps > 0) n++;
  return n;
}

/** Lines [top, top+height) of the plan, built without materialising the rest. */
export function planWindow(plan: PlanView, top: number, height: number, inner: number): PlanLine[] {
  const out: PlanLine[] = [];
  const end = top + height;
  let y = 0;
  const emit = (line: PlanLine | (() => PlanLine)) => {
    if (y >= top && y < end) out.push(typeof line === 'function' ? line() : line);
    y++;
  };
  for (const l of headLines(plan, inner)) emit(l);
  const block = findingBlock(plan, inner);
  if (y + block.length <= top) y += block.length;
  else for (const l of block) emit(l);
  for (let i = 0; i < plan.steps.length && y < end; i++) {
    const s = plan.steps[i]!;
    const len = stepLength(s);
    if (y + len <= top) {
      y += len;
      continue;
    }
    emit({ kind: 'step', text: `${i + 1}. ${s.title}`, detail: s.detail, ...(s.lint ? { lint: s.lint } : {}) });
    if (s.doc) {
      const doc = s.doc;
      const gutter = String(doc.firstLine + Math.min(doc.lineCount, s.shown)).length;
      for (let l = 0; l < s.shown; l++) {
        if (y >= end) break;
        const line = l;
        emit(() => ({ kind: 'sql', doc, line, gutter }));
      }
      if (doc.lineCount > s.shown) emit({ kind: 'text', text: `   … ${doc.lineCount - s.shown} more lines (all of it runs; see it in the preview)` });
    } else for (const t of s.lines) emit({ kind: 'literal', text: t });
    emit({ kind: 'blank' });
  }
  if (plan.moreSteps > 0 && y < end) emit({ kind: 'text', text: `… and ${plan.moreSteps} more steps (listed in the log as they run)` });
  return out;
}

/** The question under the plan, wrapped to the panel: the database name is never cut. */
export function confirmLines(plan: PlanView, database: string, inner: number): string[] {
  const n = plan.baseline ? plan.baseline.versions.length : plan.steps.length + plan.moreSteps;
  // The name gets a line of its own: it is what the user must type, never cut.
  if (plan.confirm.kind === 'name' && plan.confirm.prompt) return wrap(plan.confirm.prompt, inner);
  if (plan.confirm.kind === 'name')
    return [...wrap(`This rolls back EVERY migration (${n} steps). To confirm, type the database name:`, inner), ...wrap(plan.confirm.expected, inner)];
  if (plan.baseline) return wrap(`Record ${n === 1 ? 'this migration' : `these ${n} migrations`} as applied on ${database}, running nothing? [y/N]`, inner);
  return wrap(`Run ${n === 1 ? 'this step' : `these ${n} steps`} on ${database}? [y/N]`, inner);
}

/** Rows the confirmation takes: a rule, the question, and the typed name or the keys. */
export function confirmRows(plan: PlanView, database: string, inner: number): number {
  return 1 + confirmLines(plan, database, inner).length + 1;
}
