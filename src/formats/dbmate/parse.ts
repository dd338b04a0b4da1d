/**
 * dbmate's file rules, transcribed from pkg/dbmate/db.go (migrationFileRegexp, FindMigrations) and
 * pkg/dbmate/migration.go (parseMigrationContents and helpers), v2.35.0; docs/formats-spec.md §1.1-1.2.
 *
 * Go's RE2 differs from JavaScript's regexps in ways that matter here, so the patterns are spelled out:
 * - `\s` is ASCII only ([\t\n\f\r ]); JavaScript's also matches U+FEFF, U+00A0, \v and more.
 * - `(?m)^` matches only at the start or after "\n", and `(?m)$` only at the end or before "\n";
 *   JavaScript's multiline anchors also break at "\r", U+2028 and U+2029.
 * - `.` matches anything but "\n"; JavaScript's `.` also stops at "\r", U+2028 and U+2029.
 */

const WS = '[\\t\\n\\f\\r ]';
const NOT_WS = '[^\\t\\n\\f\\r ]';

/** migrationFileRegexp `^(\d+).*\.sql$`, matched against the bare file name (case-sensitive). */
const FILE_NAME = /^([0-9]+)[^\n]*\.sql$/;

// upRegExp / downRegExp: (?m)^--\s*migrate:up(\s*$|\s+\S+)
const directive = (dir: 'up' | 'down') => new RegExp(`(?<=^|\\n)--${WS}*migrate:${dir}(?:${WS}*(?=\\n|$)|${WS}+${NOT_WS}+)`, 'g');
const UP = directive('up');
const DOWN = directive('down');
/** blockDirectiveRegExp `^--\s*migrate:(up|down)` (not multiline: the start of the string only). */
const BLOCK_DIRECTIVE = new RegExp(`^--${WS}*migrate:(?:up|down)`);
const EMPTY_LINE = new RegExp(`^${WS}*$`);
const COMMENT_LINE = new RegExp(`^${WS}*--`);
const WHITESPACE = new RegExp(`${WS}+`);
/** Go's strings.TrimSpace trims unicode.IsSpace, which is not JavaScript's trim() set (U+0085 yes, U+FEFF no). */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const GO_TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'g');

export interface DbmateFileName {
  /** The leading digits, as text: "001" and "1" are different versions. */
  version: string;
  /** What follows the version, without one leading "_" and the ".sql" (dbmate itself never uses it). */
  description: string;
}

/** Whether dbmate takes the file as a migration ({@link parseFileName} without building the result). */
export function isDbmateFileName(file: string): boolean {
  return FILE_NAME.test(file);
}

/** Parses a file name as dbmate's FindMigrations does, or returns null for a file dbmate skips. */
export function parseFileName(file: string): DbmateFileName | null {
  const m = FILE_NAME.exec(file);
  if (!m) return null;
  const version = m[1]!;
  const rest = file.slice(version.length, file.length - '.sql'.length);
  return { version, description: rest.startsWith('_') ? rest.slice(1) : rest };
}

/**
 * dbmate sorts with `FileName < FileName` on Go strings: byte-wise over UTF-8, so "10_y.sql" comes
 * before "9_x.sql". (JavaScript's `<` compares UTF-16 code units, which differs above U+FFFF.)
 */
export function compareFileNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export type DbmateParseErrorCode = 'missing-up' | 'missing-down' | 'wrong-order' | 'unexpected-statement' | 'multiple-down';

/** dbmate's exact error texts (ErrParse* in migration.go). */
export const PARSE_ERRORS: Record<DbmateParseErrorCode, string> = {
  'missing-up': "dbmate requires each migration to define an up block with '-- migrate:up'",
  'missing-down': "dbmate requires each migration to define a down block with '-- migrate:down'",
  'wrong-order': "dbmate requires '-- migrate:up' to appear before '-- migrate:down'",
  'unexpected-statement': "dbmate does not support statements preceding the '-- migrate:up' block",
  'multiple-down': "dbmate requires every '-- migrate:down' to be preceded by a '-- migrate:up'",
};

export interface ParsedSection {
  /** From the start of the up directive to the start of the down directive: the directive line is included. */
  up: string;
  upOptions: Map<string, string>;
  /** From the down directive to the end of the section. */
  down: string;
  downOptions: Map<string, string>;
}

export type ParseResult = { ok: true; sections: ParsedSection[] } | { ok: false; code: DbmateParseErrorCode; message: string };

/** migrationOptions.Transaction(): only the exact value "false" turns the transaction off. */
export function runsInTransaction(options: Map<string, string>): boolean {
  return options.get('transaction') !== 'false';
}

/** parseMigrationContents: the file's sections, or the first error dbmate would report. */
export function parseMigrationContents(contents: string): ParseResult {
  const ups = matchStarts(contents, UP);
  const first = ups[0];
  if (first === undefined) return fail('missing-up');
  if (statementsPrecede(contents, first)) return fail('unexpected-statement');
  const texts: string[] = [];
  for (let i = 0; i < ups.length; i++) {
    const text = contents.slice(ups[i], ups[i + 1] ?? contents.length);
    if (matchStarts(text, DOWN).length > 1) return fail('multiple-down');
    texts.push(text);
  }
  const sections: ParsedSection[] = [];
  for (const text of texts) {
    const upStart = matchStarts(text, UP)[0];
    const downStart = matchStarts(text, DOWN)[0];
    if (upStart === undefined) return fail('missing-up');
    if (downStart === undefined) return fail('missing-down');
    if (upStart > downStart) return fail('wrong-order');
    const up = text.slice(upStart, downStart);
    const down = text.slice(downStart);
    sections.push({ up, upOptions: parseOptions(up), down, downOptions: parseOptions(down) });
  }
  return { ok: true, sections };
}

/** parseMigrationOptions: `key:value` pairs after the directive on its first line; other tokens are ignored. */
export function parseOptions(block: string): Map<string, string> {
  const options = new Map<string, string>();
  const firstLine = block.split('\n', 1)[0] ?? '';
  const rest = firstLine.replace(BLOCK_DIRECTIVE, '').replace(GO_TRIM, '');
  if (rest === '') return options;
  for (const token of rest.split(WHITESPACE)) {
    const pair = token.split(':');
    if (pair.length === 2) options.set(pair[0]!, pair[1]!);
  }
  return options;
}

/**
 * dbmate's QueryError text position: line and column of PostgreSQL's 1-based character position
 * within the section text (directive line included), not counting "\r" as a column.
 */
export function sectionPosition(sql: string, position: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  let offset = 0;
  for (const ch of sql) {
    offset++;
    if (offset >= position) break;
    if (ch === '\r') continue;
    if (ch === '\n') {
      line++;
      column = 1;
      continue;
    }
    column++;
  }
  return { line, column };
}

/** Whether the text has a line dbmate takes for an up directive. */
export function hasUpDirective(contents: string): boolean {
  return matchStarts(contents, UP).length > 0;
}

function fail(code: DbmateParseErrorCode): ParseResult {
  return { ok: false, code, message: PARSE_ERRORS[code] };
}

function matchStarts(text: string, re: RegExp): number[] {
  return [...text.matchAll(re)].map((m) => m.index);
}

/** statementsPrecedeMigrateBlocks: only blank and `--` comment lines may come before the first up directive. */
function statementsPrecede(contents: string, upStart: number): boolean {
  return contents
    .slice(0, upStart)
    .split('\n')
    .some((line) => !EMPTY_LINE.test(line) && !COMMENT_LINE.test(line));
}
