import { splitStatements } from '../../db/statements.js';

/**
 * How Flyway would execute one SQL script on PostgreSQL (docs/formats-spec.md §3.7): statements one by
 * one, in a transaction unless a statement is one PostgreSQLParser.detectCanExecuteInTransaction marks
 * non-transactional; a script mixing both is refused (mixed=false is the default).
 */
export interface FlywayScript {
  /** The text Flyway executes: a leading BOM removed (BomStrippingReader). */
  sql: string;
  transaction: boolean;
  /** The statements, for running a non-transactional script one statement at a time as Flyway does. */
  statements: string[];
  /** Why Ladder cannot run this script the way Flyway would. */
  unsupported?: string;
}

/** PostgreSQLParser's patterns, matched by Flyway against the statement's leading keywords. */
const NON_TRANSACTIONAL = [
  /^(CREATE|DROP) (DATABASE|TABLESPACE|SUBSCRIPTION)(?: |$)/,
  /^ALTER SYSTEM(?: |$)/,
  /^(CREATE|DROP)( UNIQUE)? INDEX CONCURRENTLY(?: |$)/,
  /^REINDEX( VERBOSE)? (SCHEMA|DATABASE|SYSTEM)(?: |$)/,
  /^VACUUM(?: |$)/,
  /^DISCARD ALL(?: |$)/,
  // ALTER TYPE … ADD VALUE only counts on PostgreSQL < 12; Ladder targets 12 and later.
];
const COPY_FROM_STDIN = /^COPY( .*)? FROM STDIN(?: |$)/;
const COPY_LINE = /^[ \t]*COPY\b[^;]*?\bFROM\s+STDIN\b/im;

/** Flyway's default placeholder syntax `${name}`; replacement is on by default for V, R (and U) scripts. */
const PLACEHOLDER = /\$\{([^}]*)\}/;

/**
 * The first words of a statement at parenthesis depth 0, upper-cased and joined by single spaces,
 * skipping comments and quoted text: what Flyway's "simplified statement" holds for these checks.
 */
const DOLLAR_TAG = /\$[A-Za-z_]*\$/y;
const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

export function leadingKeywords(statement: string, max = 8): string {
  const words: string[] = [];
  let depth = 0;
  let i = 0;
  const s = statement;
  while (i < s.length && words.length < max) {
    const c = s[i]!;
    if (c === '-' && s[i + 1] === '-') {
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? s.length : nl + 1;
    } else if (c === '/' && s[i + 1] === '*') {
      const end = s.indexOf('*/', i + 2);
      i = end < 0 ? s.length : end + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < s.length && !(s[j] === c && s[j + 1] !== c)) j += s[j] === c ? 2 : 1;
      i = j + 1;
    } else if (c === '$' && ((DOLLAR_TAG.lastIndex = i), DOLLAR_TAG.test(s))) {
      const tag = s.slice(i, DOLLAR_TAG.lastIndex);
      const end = s.indexOf(tag, i + tag.length);
      i = end < 0 ? s.length : end + tag.length;
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      WORD.lastIndex = i;
      WORD.test(s);
      if (depth === 0) words.push(s.slice(i, WORD.lastIndex).toUpperCase());
      i = WORD.lastIndex;
    } else i++;
  }
  return words.join(' ');
}

export function isFlywayNonTransactional(statement: string): boolean {
  const k = leadingKeywords(statement);
  return NON_TRANSACTIONAL.some((re) => re.test(k));
}

export function findPlaceholder(sql: string): string | undefined {
  const m = PLACEHOLDER.exec(sql);
  return m ? m[0] : undefined;
}

export async function analyzeFlywayScript(raw: string, fileName = 'script'): Promise<FlywayScript> {
  const sql = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  const placeholder = findPlaceholder(sql);
  if (placeholder)
    return {
      sql,
      transaction: true,
      statements: [sql],
      unsupported: `${fileName} uses the placeholder ${placeholder}, which Flyway replaces before running (and, in a repeatable migration, before computing the checksum); Ladder does not substitute Flyway placeholders.`,
    };
  // COPY's inline data is not SQL, so PostgreSQL's grammar cannot split such a script: look for it first.
  const copy = COPY_LINE.exec(sql);
  if (copy)
    return {
      sql,
      transaction: true,
      statements: [sql],
      unsupported: `${fileName} line ${sql.slice(0, copy.index).split('\n').length}: COPY … FROM STDIN takes its data from the script in Flyway; Ladder cannot run it that way.`,
    };
  const split = await splitStatements(sql);
  // A script PostgreSQL's grammar rejects: Flyway would run it in a transaction and fail on the error.
  if (!split.ok) return { sql, transaction: true, statements: [sql] };
  let transactional = false;
  let nonTransactional = false;
  for (const st of split.statements) {
    const keywords = leadingKeywords(st.text);
    if (COPY_FROM_STDIN.test(keywords))
      return { sql, transaction: true, statements: [sql], unsupported: `${fileName} line ${st.startLine}: COPY … FROM STDIN takes its data from the script in Flyway; Ladder cannot run it that way.` };
    const nonTx = NON_TRANSACTIONAL.some((re) => re.test(keywords));
    if (nonTx) nonTransactional = true;
    else transactional = true;
    if (transactional && nonTransactional)
      return {
        sql,
        transaction: true,
        statements: split.statements.map((s) => s.text),
        unsupported: `Detected both transactional and non-transactional statements within the same migration (even though mixed is false). Offending statement found at line ${st.startLine}: ${st.text}${nonTx ? ' [non-transactional]' : ''}`,
      };
  }
  return { sql, transaction: !nonTransactional, statements: split.statements.map((s) => s.text) };
}
