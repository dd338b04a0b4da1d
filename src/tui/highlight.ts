import type { Theme as HighlightTheme } from 'cli-highlight';
import { LexState, highlightStart, type SqlDocument } from './sql-document.js';

/**
 * Syntax colours for a window of a SQL document, never the whole file (cli-highlight needs seconds
 * for 30,000 lines). The window is highlighted from the nearest statement start above it, or primed
 * with the lexical state at its first line (an opening quote or comment that is then cut off again).
 */

const ESC = '\u001b[';
const sgr = (open: string) => (part: string) =>
  part
    .split('\n')
    .map((p) => (p === '' ? p : `${ESC}${open}m${p}${ESC}39m`))
    .join('\n');
const plain = (part: string) => part;

const KEYWORD = sgr('36'); // cyan
const TYPE = sgr('35'); // magenta
const STRING = sgr('32'); // green
const NUMBER = sgr('33'); // yellow
const COMMENT = sgr('90'); // grey

// Every token cli-highlight knows, so none falls back to its own chalk-based default theme.
const THEME: HighlightTheme = {
  keyword: KEYWORD,
  built_in: TYPE,
  type: TYPE,
  literal: TYPE,
  number: NUMBER,
  regexp: STRING,
  string: STRING,
  subst: plain,
  symbol: plain,
  class: plain,
  function: NUMBER,
  title: plain,
  params: plain,
  comment: COMMENT,
  doctag: COMMENT,
  meta: COMMENT,
  'meta-keyword': COMMENT,
  'meta-string': COMMENT,
  section: plain,
  tag: plain,
  name: plain,
  'builtin-name': plain,
  attr: plain,
  attribute: plain,
  variable: plain,
  bullet: plain,
  code: plain,
  emphasis: plain,
  strong: plain,
  formula: plain,
  link: plain,
  quote: plain,
  'selector-tag': plain,
  'selector-id': plain,
  'selector-class': plain,
  'selector-attr': plain,
  'selector-pseudo': plain,
  'template-tag': plain,
  'template-variable': plain,
  addition: plain,
  deletion: plain,
  default: plain,
};

type HighlightFn = typeof import('cli-highlight').highlight;
let cliHighlight: HighlightFn | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads cli-highlight (with highlight.js and its 190 languages: ~100 ms). The TUI draws its first frame
 * without it and asks for it right after; until then the SQL is shown uncoloured.
 */
export function loadHighlighter(): Promise<void> {
  loading ??= import('cli-highlight').then((m) => {
    // A CommonJS package: the bundle's chunk for it exports only `default` (its exports object).
    cliHighlight = m.highlight ?? (m.default as unknown as typeof m).highlight;
    cache.clear();
  });
  return loading;
}

export function highlighterReady(): boolean {
  return cliHighlight !== undefined;
}

/** Longer lines are cut before highlighting: nobody reads past a screen's width, and it bounds the cost. */
export const MAX_LINE = 1000;
const PRIME: Record<LexState, string> = {
  [LexState.Code]: '',
  [LexState.SingleQuote]: "'",
  [LexState.DoubleQuote]: '"',
  [LexState.BlockComment]: '/*',
  [LexState.DollarQuote]: '',
};

interface CacheEntry {
  from: number;
  lines: string[];
}

// A few highlighted chunks per document: scrolling inside a chunk costs nothing.
const cache = new Map<string, CacheEntry[]>();
const MAX_DOCS = 16;
const MAX_CHUNKS = 4;

/** `count` lines from `top`, coloured (ANSI SGR) when color is true, else plain. Tabs are expanded. */
export function highlightLines(doc: SqlDocument, top: number, count: number, color: boolean): string[] {
  const end = Math.min(doc.lineCount, top + Math.max(0, count));
  if (top >= end) return [];
  if (!color || !cliHighlight) {
    const out: string[] = [];
    for (let i = top; i < end; i++) out.push(cut(doc.line(i)));
    return out;
  }
  const chunks = cache.get(doc.id) ?? [];
  for (const c of chunks) if (c.from <= top && end <= c.from + c.lines.length) return c.lines.slice(top - c.from, end - c.from);
  const from = highlightStart(doc, top);
  // Highlight a page past the window too, so the next scroll steps hit the cache.
  const to = Math.min(doc.lineCount, end + Math.max(count, 20));
  const entry: CacheEntry = { from, lines: highlightRange(doc, from, to) };
  chunks.unshift(entry);
  if (chunks.length > MAX_CHUNKS) chunks.length = MAX_CHUNKS;
  cache.delete(doc.id);
  cache.set(doc.id, chunks);
  if (cache.size > MAX_DOCS) cache.delete(cache.keys().next().value!);
  return entry.lines.slice(top - from, end - from);
}

/** Highlights [from, to) in segments; a segment ends after a line that had to be cut, and each is primed with its lexical state. */
function highlightRange(doc: SqlDocument, from: number, to: number): string[] {
  const out: string[] = [];
  let segStart = from;
  let seg: string[] = [];
  const flush = () => {
    if (seg.length === 0) return;
    out.push(...highlightSegment(seg, doc.stateAt(segStart)));
    seg = [];
  };
  for (let i = from; i < to; i++) {
    const raw = doc.line(i);
    seg.push(cut(raw));
    if (raw.length > MAX_LINE) {
      flush();
      segStart = i + 1;
    }
  }
  flush();
  return out;
}

function highlightSegment(lines: string[], state: LexState): string[] {
  const prime = PRIME[state];
  let text: string;
  if (!cliHighlight) return lines;
  try {
    text = cliHighlight(prime + lines.join('\n'), { language: 'sql', ignoreIllegals: true, theme: THEME });
  } catch {
    return lines;
  }
  const out = text.split('\n');
  if (prime && out.length > 0) out[0] = dropVisible(out[0]!, prime.length);
  // Should the highlighter ever change the line count, fall back to plain text rather than misalign.
  return out.length === lines.length ? out : lines;
}

function cut(line: string): string {
  return line.length > MAX_LINE ? line.slice(0, MAX_LINE) : line;
}

/** Drops the first n visible characters of a string that may contain SGR escapes (kept). */
export function dropVisible(s: string, n: number): string {
  let out = '';
  let dropped = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 27) {
      const m = /^\u001b\[[\d;]*m/.exec(s.slice(i, i + 16));
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (dropped < n) {
      dropped++;
      continue;
    }
    return out + s.slice(i);
  }
  return out;
}

/**
 * The first `width` visible characters of a line that may hold SGR escapes, with a trailing "…" when
 * cut. Handing Ink only what fits spares it measuring and truncating long lines on every frame.
 */
export function fitWidth(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length <= width) return s;
  let visible = 0;
  let i = 0;
  let styled = false;
  for (; i < s.length; i++) {
    if (s.charCodeAt(i) === 27) {
      const m = /^\u001b\[[\d;]*m/.exec(s.slice(i, i + 16));
      if (m) {
        styled = true;
        i += m[0].length - 1;
        continue;
      }
    }
    if (visible === width - 1) {
      // Is there anything visible after this character?
      const rest = s.slice(i + 1).replace(/\u001b\[[\d;]*m/g, '');
      if (rest.length === 0) return s;
      return s.slice(0, i) + (styled ? '\u001b[0m…' : '…');
    }
    visible++;
  }
  return s;
}

/** Removes SGR escapes (for width computations and tests). */
export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[\d;]*m/g, '');
}

/** Drops the first n visible columns of a highlighted line, keeping its colour codes (sideways scrolling). */
export function skipColumns(s: string, n: number): string {
  let out = '';
  let skipped = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 27) {
      const m = /^\u001b\[[\d;]*m/.exec(s.slice(i, i + 16));
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (skipped < n) skipped++;
    else out += s[i];
  }
  return out;
}
