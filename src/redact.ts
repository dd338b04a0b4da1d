/**
 * Every secret Ladder has seen (passwords from URLs). All text that leaves the process
 * goes through redact(), so a password never shows, even inside an error from pg or a URL in a message.
 */
const secrets = new Set<string>();
/** Longest first, so a secret that contains another is replaced whole. Kept sorted here, not per line. */
let longestFirst: string[] = [];

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

// Any scheme: a mistyped mysql:// or postgress:// URL still carries a real password.
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*):([^@\s/]*)@/gi;

// libpq and JDBC also take the password as a query parameter (?user=u&password=p).
const QUERY_PASSWORD = /([?&](?:password|sslpassword)=)[^&#\s]*/gi;

/** Replaces the password of a URL with xxxxx (golang-migrate's redaction), in the user info or the query. */
export function redactUrl(url: string): string {
  return url.replace(URL_PASSWORD, '$1:xxxxx@').replace(QUERY_PASSWORD, '$1xxxxx');
}

export function redact(text: string): string {
  let out = redactUrl(text);
  for (const s of longestFirst) out = out.split(s).join('xxxxx');
  return out;
}
