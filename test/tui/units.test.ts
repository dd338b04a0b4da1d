import { beforeAll, describe, expect, it } from 'vitest';
import { windowTop, moveCursor, scrollTo } from '../../src/tui/list-window.js';
import { RingBuffer } from '../../src/tui/ring-buffer.js';
import { computeLayout } from '../../src/tui/layout.js';
import { createDocument, highlightStart, LexState } from '../../src/tui/sql-document.js';
import { highlightLines, stripAnsi, dropVisible, MAX_LINE, loadHighlighter, highlighterReady } from '../../src/tui/highlight.js';
import { fitHints, hintWidth, type KeyHint } from '../../src/tui/keys-help.js';
import { themeFromEnv } from '../../src/tui/theme.js';
import { oneLine, noticeEntry } from '../../src/tui/log-lines.js';
import { topBorder } from '../../src/tui/components/panel.js';
import { filterRows } from '../../src/tui/filter.js';
import type { StatusRow } from '../../src/engine/status.js';

describe('list windowing', () => {
  it('keeps the cursor visible, moving the window as little as possible', () => {
    expect(windowTop(10_000, 0, 0, 20)).toBe(0);
    expect(windowTop(10_000, 19, 0, 20)).toBe(0);
    expect(windowTop(10_000, 20, 0, 20)).toBe(1);
    expect(windowTop(10_000, 5, 10, 20)).toBe(5);
    expect(windowTop(10_000, 9_999, 0, 20)).toBe(9_980);
    expect(windowTop(5, 4, 3, 20)).toBe(0);
    expect(windowTop(100, 50, 45, 20)).toBe(45);
  });
  it('clamps cursor moves and scroll offsets', () => {
    expect(moveCursor(10, 9, 5)).toBe(9);
    expect(moveCursor(10, 0, -1)).toBe(0);
    expect(moveCursor(0, 0, 1)).toBe(0);
    expect(scrollTo(100, 20, 95)).toBe(80);
    expect(scrollTo(10, 20, 5)).toBe(0);
    expect(scrollTo(100, 20, -3)).toBe(0);
  });
});

describe('ring buffer', () => {
  it('keeps the newest items and counts every push', () => {
    const r = new RingBuffer<number>(3);
    for (let i = 1; i <= 100_000; i++) r.push(i);
    expect(r.size).toBe(3);
    expect(r.total).toBe(100_000);
    expect(r.last()).toEqual([99_998, 99_999, 100_000]);
    expect(r.last(2)).toEqual([99_999, 100_000]);
    r.clear();
    expect(r.last()).toEqual([]);
  });
  it('returns fewer items before it is full', () => {
    const r = new RingBuffer<string>(5);
    r.push('a');
    r.push('b');
    expect(r.last(10)).toEqual(['a', 'b']);
  });
});

describe('layout', () => {
  for (const [cols, rows] of [
    [80, 24],
    [120, 40],
    [200, 60],
    [50, 14],
  ] as const) {
    it(`adds up to rows - 1 lines and cols columns at ${cols}x${rows}`, () => {
      const l = computeLayout(cols, rows, 30);
      expect(l.tooSmall).toBe(false);
      expect(l.header + l.main + l.log + l.footer).toBe(rows - 1);
      expect(l.listWidth + l.previewWidth).toBe(cols);
      expect(l.listRows).toBe(l.main - 2);
      expect(l.logRows).toBeGreaterThanOrEqual(2);
    });
  }
  it('says when the terminal is too small', () => {
    expect(computeLayout(40, 24).tooSmall).toBe(true);
    expect(computeLayout(80, 10).tooSmall).toBe(true);
  });
});

describe('SQL document', () => {
  it('indexes lines (LF, CRLF, trailing newline, tabs, control characters)', () => {
    const d = createDocument('a;\r\nb\tc\n\nlast\n');
    expect(d.lineCount).toBe(4);
    expect([0, 1, 2, 3].map((i) => d.line(i))).toEqual(['a;', 'b    c', '', 'last']);
    expect(createDocument('x\u001b[2Jy').line(0)).toBe('x\ufffd[2Jy');
    expect(createDocument('').lineCount).toBe(1);
    expect(createDocument('no newline').line(0)).toBe('no newline');
  });

  it('knows the lexical state at each line start (quotes, dollar quotes, comments)', () => {
    const sql = [
      "SELECT 'it''s", // 0: opens a string
      "still a string';", // 1
      'CREATE FUNCTION f() RETURNS int AS $body$', // 2
      "  SELECT 1; -- not the end; 'quote'", // 3
      '$body$ LANGUAGE sql;', // 4
      '/* block', // 5
      '   comment */ SELECT "ident', // 6
      'ifier";', // 7
      'SELECT $1, E\'a\\\'b\';', // 8
      '', // 9
    ].join('\n');
    const d = createDocument(sql);
    expect([...Array(10).keys()].map((i) => d.stateAt(i))).toEqual([
      LexState.Code,
      LexState.SingleQuote,
      LexState.Code,
      LexState.DollarQuote,
      LexState.DollarQuote,
      LexState.Code,
      LexState.BlockComment,
      LexState.DoubleQuote,
      LexState.Code,
      LexState.Code,
    ]);
    // statement starts: line 0, after "...';" (line 2), after "LANGUAGE sql;" (5), after 'ifier";' (8), and the file ends after line 8
    expect([...Array(10).keys()].filter((i) => d.startsStatement(i))).toEqual([0, 2, 5, 8]);
  });

  it('finds the statement start above a window, bounded', () => {
    const lines: string[] = [];
    for (let i = 0; i < 50; i++) lines.push(`INSERT INTO t VALUES (${i},`, `  'row ${i}');`);
    const d = createDocument(lines.join('\n'));
    expect(highlightStart(d, 41)).toBe(40);
    expect(highlightStart(d, 40)).toBe(40);
    const one = createDocument(['SELECT', ...Array.from({ length: 500 }, () => '  1 +'), '1;'].join('\n'));
    expect(highlightStart(one, 400, 100)).toBe(400); // no boundary within 100 lines: start at the window
  });
});

describe('highlighting a window', () => {
  beforeAll(async () => {
    await loadHighlighter();
    expect(highlighterReady()).toBe(true);
  });
  const doc = createDocument(["-- comment", "SELECT 'text', 42 FROM t;", "CREATE TABLE x (id int);"].join('\n'), '/a.sql', 'a1');

  it('colours keywords, strings, numbers and comments, one line per line', () => {
    const out = highlightLines(doc, 0, 3, true);
    expect(out).toHaveLength(3);
    expect(out.map(stripAnsi)).toEqual(["-- comment", "SELECT 'text', 42 FROM t;", 'CREATE TABLE x (id int);']);
    expect(out[0]).toContain('\u001b[90m');
    expect(out[1]).toContain('\u001b[36mSELECT');
    expect(out[1]).toContain("\u001b[32m'text'");
    expect(out[1]).toContain('\u001b[33m42');
  });

  it('is plain text with colours off (NO_COLOR)', () => {
    const out = highlightLines(doc, 1, 2, false);
    expect(out).toEqual(["SELECT 'text', 42 FROM t;", 'CREATE TABLE x (id int);']);
    expect(out.join('')).not.toContain('\u001b');
  });

  it('starts mid-string correctly (primed with the lexical state)', () => {
    const lines = ["SELECT '", ...Array.from({ length: 300 }, (_, i) => `string line ${i} SELECT`), "';", 'SELECT 1;'];
    const d = createDocument(lines.join('\n'), '/b.sql', 'b1');
    const [inside] = highlightLines(d, 200, 1, true);
    // Inside the string: green, and SELECT is not coloured as a keyword.
    expect(inside!.startsWith('\u001b[32m')).toBe(true);
    expect(inside).not.toContain('\u001b[36m');
    expect(stripAnsi(inside!)).toBe('string line 199 SELECT');
    const [after] = highlightLines(d, 302, 1, true);
    expect(after).toContain('\u001b[36mSELECT');
  });

  it('highlights any window of a 20 MB file, never the whole file (its speed is npm run bench\'s)', () => {
    const row = `INSERT INTO big VALUES (1, '${'x'.repeat(600)}', 3.5, now());\n`;
    const text = row.repeat(Math.ceil((20 * 1024 * 1024) / row.length));
    const d = createDocument(text, '/big.sql', 'big1');
    const first = highlightLines(d, 0, 40, true);
    const mid = highlightLines(d, Math.floor(d.lineCount / 2), 40, true);
    const last = highlightLines(d, d.lineCount - 40, 40, true);
    expect(first).toHaveLength(40);
    expect(mid).toHaveLength(40);
    expect(last).toHaveLength(40);
    expect(stripAnsi(last[39]!)).toBe(row.trimEnd());
  });

  it('cuts very long lines before highlighting', () => {
    const d = createDocument(`SELECT '${'y'.repeat(5000)}';\nSELECT 2;`, '/c.sql', 'c1');
    const out = highlightLines(d, 0, 2, true);
    expect(stripAnsi(out[0]!).length).toBe(MAX_LINE);
    expect(out[1]).toContain('\u001b[36mSELECT');
  });

  it('drops visible characters but keeps escapes', () => {
    expect(dropVisible('\u001b[32m\'abc\u001b[39m', 1)).toBe('\u001b[32mabc\u001b[39m');
    expect(dropVisible('/*x', 2)).toBe('x');
  });
});

describe('footer hints', () => {
  const h = (key: string, prio: number): KeyHint => ({ key, label: 'label', prio });
  it('keeps the most important hints, in display order', () => {
    const hints = [h('a', 3), h('b', 0), h('c', 1), h('d', 2)];
    const w = hintWidth(hints[0]!);
    expect(fitHints(hints, w * 2).map((x) => x.key)).toEqual(['b', 'c']);
    expect(fitHints(hints, w * 4).map((x) => x.key)).toEqual(['a', 'b', 'c', 'd']);
  });
});

describe('small helpers', () => {
  it('NO_COLOR (non-empty) turns colour off', () => {
    expect(themeFromEnv({}).color).toBe(true);
    expect(themeFromEnv({ NO_COLOR: '1' }).color).toBe(false);
    expect(themeFromEnv({ NO_COLOR: '' }).color).toBe(true);
  });
  it('log lines are single terminal lines', () => {
    expect(oneLine('a\nb\r\nc\u001b[31m')).toBe('a ⏎ b ⏎ c[31m');
    expect(noticeEntry({ severity: 'WARNING', message: 'careful', detail: 'd' })).toEqual({ kind: 'warning', text: 'WARNING: careful (detail: d)' });
    expect(noticeEntry({ severity: 'NOTICE', message: 'hi' }).kind).toBe('notice');
  });
  it('draws a border title of the exact width', () => {
    for (const w of [10, 30, 80]) {
      expect([...topBorder('Migrations 12', '3/12', w)].length).toBe(w);
      expect([...topBorder('a very long title that does not fit anywhere', 'x', w)].length).toBe(w);
    }
  });
  it('filters by version or name, case-insensitively', () => {
    const rows = [
      { version: '1', name: 'create_users' },
      { version: '20', name: 'Accounts' },
      { version: '201', name: 'orders' },
    ] as StatusRow[];
    expect(filterRows(rows, 'acc')).toEqual([1]);
    expect(filterRows(rows, '20')).toEqual([1, 2]);
    expect(filterRows(rows, '')).toEqual([0, 1, 2]);
    expect(filterRows(rows, 'zzz')).toEqual([]);
  });
});

describe('documents', () => {
  it('reads the head of a big file up to a whole line, then the whole file', async () => {
    const { mkdtemp, writeFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { DocumentCache } = await import('../../src/tui/documents.js');
    const dir = await mkdtemp(join(tmpdir(), 'ladder-doc-'));
    const path = join(dir, '1_big.up.sql');
    const line = `SELECT 'é ${'x'.repeat(90)}';\n`; // multi-byte characters too
    await writeFile(path, line.repeat(10_000));
    const cache = new DocumentCache();
    expect(cache.getSync(path).doc).toBeUndefined(); // too big to read synchronously
    const head = await cache.loadHead(path, 4096);
    expect(head.partial).toBe(true);
    expect(head.lineCount).toBeGreaterThan(10);
    expect(head.line(head.lineCount - 1)).toBe(line.trimEnd()); // cut after a whole line, UTF-8 intact
    const full = await cache.load(path);
    expect(full.partial).toBe(false);
    expect(full.lineCount).toBe(10_000);
    expect(cache.getSync(path).doc).toBe(full); // cached, unchanged on disk
    await writeFile(path, 'SELECT 1;\n');
    expect(cache.getSync(path).doc?.lineCount).toBe(1); // re-read when the file changes
  });
});

describe('text', () => {
  it('wraps words into a bounded number of lines', async () => {
    const { wrapLines } = await import('../../src/tui/text.js');
    expect(wrapLines('one two three four', 9, 5)).toEqual(['one two', 'three', 'four']);
    expect(wrapLines('one two three four', 9, 2)).toEqual(['one two', 'three…']);
    expect(wrapLines('abcdefghijkl', 5, 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapLines('x', 5, 0)).toEqual([]);
  });
});

describe('SQL lexer: the fast path agrees with a plain character-by-character reference', () => {
  // Reference: lexical state at each line start and whether each line ends a statement, one char at a time.
  function reference(text: string): { states: number[]; ends: boolean[] } {
    const states = [0];
    const ends: boolean[] = [];
    let st = 0; // 0 code, 1 ', 2 ", 3 /* */, 4 $tag$
    let tag = '';
    let depth = 0;
    let esc = false;
    let last = -1;
    let blank = true;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\n') {
        ends.push(st === 0 && (last === 59 || blank));
        states.push(st);
        last = -1;
        blank = true;
        continue;
      }
      if (st === 0) {
        if (c === '-' && text[i + 1] === '-') {
          while (i + 1 < text.length && text[i + 1] !== '\n') i++;
          continue;
        }
        if (c !== ' ') {
          blank = false;
          last = c.charCodeAt(0);
        }
        if (c === "'") {
          st = 1;
          esc = (text[i - 1] === 'E' || text[i - 1] === 'e') && !/[A-Za-z0-9_]/.test(text[i - 2] ?? '');
        } else if (c === '"') st = 2;
        else if (c === '/' && text[i + 1] === '*') {
          st = 3;
          depth = 1;
          i++;
        } else if (c === '$') {
          const m = /^\$([A-Za-z_][A-Za-z_0-9]*)?\$/.exec(text.slice(i));
          if (m && !(i > 0 && /[A-Za-z0-9_$]/.test(text[i - 1]!) && m[0] !== '$$')) {
            st = 4;
            tag = m[0];
            i += tag.length - 1;
          }
        }
      } else if (st === 1) {
        blank = false;
        if (esc && c === '\\') {
          if (text[i + 1] !== '\n') i++;
        } else if (c === "'") {
          st = 0;
          last = 39;
        }
      } else if (st === 2) {
        blank = false;
        if (c === '"') {
          st = 0;
          last = 34;
        }
      } else if (st === 3) {
        if (c === '*' && text[i + 1] === '/') {
          depth--;
          i++;
          if (depth === 0) st = 0;
        } else if (c === '/' && text[i + 1] === '*') {
          depth++;
          i++;
        }
      } else {
        blank = false;
        if (text.startsWith(tag, i)) {
          st = 0;
          last = 36;
          i += tag.length - 1;
        }
      }
    }
    return { states, ends };
  }

  const pieces = ["'", "''", '"', '$$', '$f$', '--', '/*', '*/', ';', '\n', '\n', 'x', ' ', "E'", '\\', 'ab', ';\n', '\n\n'];
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };

  it('on 300 random texts, queried in random order', () => {
    for (let t = 0; t < 300; t++) {
      let text = '';
      const len = 20 + rnd(200);
      for (let i = 0; i < len; i++) text += pieces[rnd(pieces.length)];
      if (text.endsWith('\n')) text += 'z';
      const ref = reference(text);
      const d = createDocument(text);
      expect(d.lineCount).toBe(ref.states.length);
      const order = [...Array(d.lineCount).keys()].sort(() => rnd(3) - 1);
      for (const i of order) {
        expect(d.stateAt(i), `state of line ${i} in ${JSON.stringify(text)}`).toBe(ref.states[i]);
        expect(d.startsStatement(i), `statement start at line ${i} in ${JSON.stringify(text)}`).toBe(i === 0 || (ref.states[i] === 0 && ref.ends[i - 1] === true));
      }
    }
  });
});
