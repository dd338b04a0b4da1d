/**
 * Passwords are hidden where they can occur, and nowhere else (a password such as "s" or "postgres"
 * must not turn "false" into "falxxxxxe" or a user name into xxxxx):
 * - redact(): every line Ladder prints. URLs (any scheme, parsable or not): what sits between
 *   "://user:" and the last "@" of the URL; "password=" in a URL query or a libpq connection string.
 * - redactSecrets(): text from outside Ladder that may quote a password Ladder was given (a driver
 *   error): redact() plus the registered passwords themselves, as whole tokens.
 */
const secrets = new Set<string>();
/** Longest first, so a secret that contains another is replaced whole. Kept sorted here, not per line. */
let longestFirst: string[] = [];

export const MASK = 'xxxxx';

export function registerSecret(...values: string[]): void {
  for (const v of values) {
    if (!v) continue;
    secrets.add(v);
    try {
      secrets.add(encodeURIComponent(v));
    } catch {
      /* lone surrogate: the raw form is enough */
    }
  }
  longestFirst = [...secrets].sort((a, b) => b.length - a.length);
}

// scheme://user: — the user part cannot hold ':', '/', '@' or quotes unencoded.
const URL_USER = /\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s"'`<>]*:/gi;
// password= in a URL query (?password=, &password=, JDBC's ;password=) or a libpq keyword string (host=h password=p).
const KEYWORD_PASSWORD = /(^|[\s?&;(])((?:ssl)?password=)('(?:\\.|[^'\\])*'|[^&#;\s"'`]*)/gim;

/** Hides passwords in URLs and connection strings (golang-migrate's xxxxx). */
export function redactUrl(text: string): string {
  if (!text.includes('://') && !/password=/i.test(text)) return text;
  return redactKeywords(redactUserInfo(text));
}

function redactUserInfo(text: string): string {
  let out = '';
  let from = 0;
  URL_USER.lastIndex = 0;
  for (let m = URL_USER.exec(text); m; m = URL_USER.exec(text)) {
    const start = m.index + m[0].length; // first character of the password
    const end = tokenEnd(text, m.index, start);
    const at = text.lastIndexOf('@', end - 1);
    if (at < start) continue; // host:port, no user info
    out += text.slice(from, start) + MASK;
    from = at;
    URL_USER.lastIndex = at;
  }
  return out + text.slice(from);
}

/**
 * Where a URL that starts at `urlStart` ends: at the first white space, or, when it is quoted, at its
 * closing quote (a JSON string's first unescaped '"'), so "the last @" stays inside this one URL.
 */
function tokenEnd(text: string, urlStart: number, from: number): number {
  const quote = text[urlStart - 1];
  const quoted = quote === '"' || quote === "'" || quote === '`';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === ' ' || c === '\n' || c === '\t' || c === '\r') return i;
    if (quoted && c === quote && text[i - 1] !== '\\') return i;
  }
  return text.length;
}

function redactKeywords(text: string): string {
  return text.replace(KEYWORD_PASSWORD, (all, lead: string, key: string, value: string) => (value === '' || value === MASK ? all : `${lead}${key}${MASK}`));
}

export function redact(text: string): string {
  return redactUrl(text);
}

const WORD = /[\p{L}\p{N}_]/u;

/** redact(), plus every registered password where it stands as a whole token (not inside a longer word). */
export function redactSecrets(text: string): string {
  let out = redactUrl(text);
  for (const s of longestFirst) {
    let at = out.indexOf(s);
    while (at !== -1) {
      const before = out[at - 1];
      const after = out[at + s.length];
      const whole = !(before && WORD.test(before)) && !(after && WORD.test(after));
      if (whole) {
        out = out.slice(0, at) + MASK + out.slice(at + s.length);
        at = out.indexOf(s, at + MASK.length);
      } else at = out.indexOf(s, at + 1);
    }
  }
  return out;
}
