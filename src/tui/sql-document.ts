/**
 * A migration file held as one string plus an index of where each line starts, so any window of
 * lines is a cheap slice, even in a 20 MB file. A lexer (quotes, dollar quotes, comments) runs lazily,
 * only as far as the lines asked about, to find where statements start.
 */

/** Lexical state at the start of a line. */
export const enum LexState {
  Code = 0,
  SingleQuote = 1,
  DoubleQuote = 2,
  BlockComment = 3,
  DollarQuote = 4,
}

export interface SqlDocument {
  /** Changes whenever the content does (path + mtime + size). */
  readonly id: string;
  readonly path: string;
  /** Size of the whole file. */
  readonly bytes: number;
  /** Only the first part of the file (the rest is being read). */
  readonly partial: boolean;
  /** Line number (0-based) in its file of the document's first line: a section of a file (dbmate's up or down) starts below 0. */
  readonly firstLine: number;
  readonly lineCount: number;
  line(i: number): string;
  /** The lexical state at the start of line i. */
  stateAt(i: number): LexState;
  /** Whether line i is the first line of a statement: it starts outside any quote or comment and the line before ended one. */
  startsStatement(i: number): boolean;
}

const TAB = '    ';
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/;
const CONTROL_ALL = /[\u0000-\u0008\u000a-\u001f\u007f\u2028\u2029]/g;

export function createDocument(text: string, path = '', id = path, bytes = text.length, partial = false, firstLine = 0): SqlDocument {
  return new TextDocument(text, path, id, bytes, partial, firstLine);
}

class TextDocument implements SqlDocument {
  readonly lineCount: number;
  private readonly starts: Uint32Array;
  // Lazily filled by lexTo(): state at each line start, and whether the line ends a statement.
  private readonly states: Uint8Array;
  private readonly ends: Uint8Array;
  private lexedLines = 0;
  private lexPos = 0;
  private lexState = LexState.Code;
  private dollarTag = '';
  private commentDepth = 0;
  private escapeString = false;
  private lastCode = -1;
  private blank = true;

  constructor(
    private readonly text: string,
    readonly path: string,
    readonly id: string,
    readonly bytes: number,
    readonly partial: boolean,
    readonly firstLine: number,
  ) {
    this.starts = lineStarts(text);
    this.lineCount = this.starts.length;
    this.states = new Uint8Array(this.lineCount);
    this.ends = new Uint8Array(this.lineCount);
  }

  line(i: number): string {
    if (i < 0 || i >= this.lineCount) return '';
    const start = this.starts[i]!;
    let end = i + 1 < this.lineCount ? this.starts[i + 1]! - 1 : this.text.length;
    if (end > start && this.text.charCodeAt(end - 1) === 10) end--; // the last line's trailing newline
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--; // CRLF
    let raw = this.text.slice(start, end);
    if (raw.includes('\t')) raw = raw.replace(/\t/g, TAB);
    // Control characters (a stray CR, ESC, form feed) would move the cursor or break the layout.
    return CONTROL.test(raw) ? raw.replace(CONTROL_ALL, '\ufffd') : raw;
  }

  stateAt(i: number): LexState {
    if (i <= 0) return LexState.Code;
    this.lexTo(Math.min(i, this.lineCount - 1));
    return this.states[Math.min(i, this.lineCount - 1)]! as LexState;
  }

  startsStatement(i: number): boolean {
    if (i <= 0) return true;
    if (i >= this.lineCount) return false;
    this.lexTo(i);
    return this.states[i] === LexState.Code && this.ends[i - 1] === 1;
  }

  /** Lexes up to (and including the start of) line `target`. Char by char, resumable. */
  private lexTo(target: number): void {
    const text = this.text;
    const n = text.length;
    let pos = this.lexPos;
    let line = this.lexedLines; // the next line whose start state is not yet recorded
    if (line === 0) {
      this.states[0] = LexState.Code;
      line = 1;
    }
    if (line > target) return;
    let state = this.lexState;
    let tag = this.dollarTag;
    let depth = this.commentDepth;
    let esc = this.escapeString;
    // Last significant character of the current line, in code: 59 (;) marks a statement end.
    let lastCode = this.lastCode;
    let blank = this.blank;
    while (pos < n && line <= target) {
      const c = text.charCodeAt(pos);
      if (c === 10) {
        // line break: record the end of line (line - 1) and the start state of `line`
        this.ends[line - 1] = (state === LexState.Code && (lastCode === 59 || blank)) ? 1 : 0;
        this.states[line] = state;
        line++;
        lastCode = -1;
        blank = true;
        pos++;
        continue;
      }
      switch (state) {
        case LexState.Code:
          if (c === 45 && text.charCodeAt(pos + 1) === 45) {
            // -- comment: skip to the end of the line
            const nl = text.indexOf('\n', pos);
            pos = nl < 0 ? n : nl;
            continue;
          }
          if (c !== 32 && c !== 9 && c !== 13) {
            blank = false;
            lastCode = c;
          }
          if (c === 39) {
            state = LexState.SingleQuote;
            const prev = pos > 0 ? text.charCodeAt(pos - 1) : 0;
            esc = (prev === 69 || prev === 101) && !isIdentChar(pos > 1 ? text.charCodeAt(pos - 2) : 0);
          } else if (c === 34) state = LexState.DoubleQuote;
          else if (c === 47 && text.charCodeAt(pos + 1) === 42) {
            state = LexState.BlockComment;
            depth = 1;
            pos += 2;
            continue;
          } else if (c === 36) {
            const m = dollarTagAt(text, pos);
            if (m !== null) {
              state = LexState.DollarQuote;
              tag = m;
              pos += m.length;
              continue;
            }
          }
          pos++;
          continue;
        case LexState.SingleQuote:
          blank = false;
          if (!esc) {
            // Jump to the closing quote ('' is a close and a reopen): strings are most of a data file.
            const q = text.indexOf("'", pos);
            line = this.insideUntil(line, q < 0 ? n : q, LexState.SingleQuote);
            if (q < 0) {
              pos = n;
              continue;
            }
            state = LexState.Code;
            lastCode = 39;
            pos = q + 1;
            continue;
          }
          if (esc && c === 92) {
            pos += text.charCodeAt(pos + 1) === 10 ? 1 : 2;
            continue;
          }
          if (c === 39) {
            state = LexState.Code;
            lastCode = 39;
          }
          pos++;
          continue;
        case LexState.DoubleQuote: {
          blank = false;
          const q = text.indexOf('"', pos);
          line = this.insideUntil(line, q < 0 ? n : q, LexState.DoubleQuote);
          if (q < 0) {
            pos = n;
            continue;
          }
          state = LexState.Code;
          lastCode = 34;
          pos = q + 1;
          continue;
        }
        case LexState.BlockComment:
          if (c === 42 && text.charCodeAt(pos + 1) === 47) {
            depth--;
            pos += 2;
            if (depth === 0) state = LexState.Code;
            continue;
          }
          if (c === 47 && text.charCodeAt(pos + 1) === 42) {
            depth++;
            pos += 2;
            continue;
          }
          pos++;
          continue;
        case LexState.DollarQuote: {
          blank = false;
          const q = text.indexOf(tag, pos);
          line = this.insideUntil(line, q < 0 ? n : q, LexState.DollarQuote);
          if (q < 0) {
            pos = n;
            continue;
          }
          state = LexState.Code;
          lastCode = 36;
          pos = q + tag.length;
          continue;
        }
      }
    }
    if (pos >= n && line <= target) {
      // End of text: the remaining line starts (none, normally) share the final state.
      this.ends[line - 1] = (state === LexState.Code && (lastCode === 59 || blank)) ? 1 : 0;
      for (; line < this.lineCount && line <= target; line++) this.states[line] = state;
    }
    this.lexPos = pos;
    this.lexedLines = line;
    this.lexState = state;
    this.dollarTag = tag;
    this.commentDepth = depth;
    this.escapeString = esc;
    this.lastCode = lastCode;
    this.blank = blank;
  }

  /** Lines that start at or before `end` (inside a quote that closes at `end`): they start in `state` and end no statement. */
  private insideUntil(line: number, end: number, state: LexState): number {
    while (line < this.lineCount && this.starts[line]! <= end) {
      this.ends[line - 1] = 0;
      this.states[line] = state;
      line++;
    }
    return line;
  }
}

function isIdentChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

/** `$tag$` or `$$` at pos (a tag cannot start with a digit, so $1 is a parameter), or null. */
function dollarTagAt(text: string, pos: number): string | null {
  let i = pos + 1;
  const first = text.charCodeAt(i);
  if (first === 36) return '$$';
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 95 || first > 127)) return null;
  // An identifier char before the $ makes it part of a name (e.g. a$b$), not a dollar quote.
  if (pos > 0 && (isIdentChar(text.charCodeAt(pos - 1)) || text.charCodeAt(pos - 1) === 36)) return null;
  i++;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 36) return text.slice(pos, i + 1);
    if (!(isIdentChar(c) || c > 127)) return null;
    i++;
  }
  return null;
}

function lineStarts(text: string): Uint32Array {
  let starts = new Uint32Array(Math.max(16, Math.ceil(text.length / 32)));
  let k = 1; // starts[0] = 0
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (k === starts.length) {
      const grown = new Uint32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[k++] = i + 1;
  }
  // A trailing newline does not start a visible line.
  if (k > 1 && starts[k - 1] === text.length) k--;
  return starts.slice(0, Math.max(1, k));
}

/**
 * Where to start highlighting so that the window [top, ...) is coloured as in the whole file:
 * the nearest statement start at or above `top`, looking back at most `maxBack` lines
 * (falls back to `top` itself; the caller then primes the highlighter with the lexical state).
 */
export function highlightStart(doc: SqlDocument, top: number, maxBack = 120): number {
  const floor = Math.max(0, top - maxBack);
  for (let i = top; i >= floor; i--) if (doc.startsStatement(i)) return i;
  return top;
}
