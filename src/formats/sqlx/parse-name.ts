/**
 * sqlx-cli 0.8.6 file naming (sqlx-core/src/migrate/source.rs `resolve_blocking`,
 * migration_type.rs `MigrationType::from_filename`). docs/formats-spec.md §2.1.
 */

export type SqlxMigrationType = 'simple' | 'reversible-up' | 'reversible-down';

export type SqlxName =
  /** Not a migration: sqlx skips it silently (no `_`, or the rest does not end in ".sql"). */
  | { kind: 'skip' }
  /** sqlx aborts the whole resolve on this name (the version is not an i64). */
  | { kind: 'error'; message: string }
  | { kind: 'migration'; version: bigint; type: SqlxMigrationType; description: string };

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

const SUFFIX: Record<SqlxMigrationType, string> = {
  'reversible-up': '.up.sql',
  'reversible-down': '.down.sql',
  simple: '.sql',
};

/** Rust's `i64::from_str`: optional + or -, ASCII digits (leading zeros fine), in range. */
export function parseI64(text: string): bigint | null {
  if (!/^[+-]?[0-9]+$/.test(text)) return null;
  const n = BigInt(text);
  return n < I64_MIN || n > I64_MAX ? null : n;
}

/** `MigrationType::from_filename`: `.up.sql` first, then `.down.sql`, else simple. */
export function migrationType(rest: string): SqlxMigrationType {
  if (rest.endsWith('.up.sql')) return 'reversible-up';
  if (rest.endsWith('.down.sql')) return 'reversible-down';
  return 'simple';
}

/** Rust `str::trim_end_matches`: removes the suffix as many times as it repeats. */
function trimEndMatches(text: string, suffix: string): string {
  let out = text;
  while (suffix.length > 0 && out.endsWith(suffix)) out = out.slice(0, out.length - suffix.length);
  return out;
}

/** Rust's `{:?}` for a str, as in sqlx's error text: double quotes, backslash escapes. */
export function rustDebugString(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\0') out += '\\0';
    else if (code < 0x20 || code === 0x7f) out += `\\u{${code.toString(16)}}`;
    else out += ch;
  }
  return out + '"';
}

export function versionErrorMessage(fileName: string): string {
  return `error parsing migration filename ${rustDebugString(fileName)}; expected integer version prefix (e.g. \`01_foo.sql\`)`;
}

/**
 * `file_name.splitn(2, '_')`; skipped unless there are two parts and the second ends with ".sql"
 * (case-sensitive); then the first part must parse as i64 or sqlx fails. Description: the second part
 * with the type's suffix trimmed (repeatedly) and every `_` turned into a space.
 */
export function parseSqlxName(fileName: string): SqlxName {
  const at = fileName.indexOf('_');
  if (at < 0) return { kind: 'skip' };
  const head = fileName.slice(0, at);
  const rest = fileName.slice(at + 1);
  if (!rest.endsWith('.sql')) return { kind: 'skip' };
  const version = parseI64(head);
  if (version === null) return { kind: 'error', message: versionErrorMessage(fileName) };
  const type = migrationType(rest);
  const description = trimEndMatches(rest, SUFFIX[type]).replaceAll('_', ' ');
  return { kind: 'migration', version, type, description };
}

/** {@link parseSqlxName}'s kind alone, without building the migration: for scoring a 10,000-file folder. */
export function sqlxNameKind(fileName: string): SqlxName['kind'] {
  const at = fileName.indexOf('_');
  if (at < 0 || !fileName.endsWith('.sql') || fileName.length - at - 1 < 4) return 'skip';
  // Up to 18 digits (after an optional sign) fit an i64 whatever they are: decide without allocating.
  let i = fileName.charCodeAt(0) === 43 || fileName.charCodeAt(0) === 45 ? 1 : 0;
  const first = i;
  while (i < at && fileName.charCodeAt(i) >= 48 && fileName.charCodeAt(i) <= 57) i++;
  if (i === at && at > first && at - first <= 18) return 'migration';
  return parseI64(fileName.slice(0, at)) === null ? 'error' : 'migration';
}

/** sqlx runs a file outside a transaction when its text starts, byte for byte, with this. */
export const NO_TRANSACTION_MARKER = '-- no-transaction';

export function sqlxNoTransaction(sql: string): boolean {
  return sql.startsWith(NO_TRANSACTION_MARKER);
}
