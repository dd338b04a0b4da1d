import { tryParseFlywayVersion, type FlywayVersion } from './version.js';

/**
 * Flyway 13 (open source) migration names with the default settings: prefixes V (versioned), R
 * (repeatable), U (undo, a Teams-edition feature), separator `__`, suffix `.sql`
 * (internal/scanner/Scanner.java, internal/resource/ResourceNameParser.java; docs/formats-spec.md §3.1).
 */
export type FlywayName =
  | { kind: 'versioned' | 'undo'; prefix: 'V' | 'U'; version: FlywayVersion; description: string }
  | { kind: 'repeatable'; prefix: 'R'; description: string }
  /** B<version>__desc.sql: a baseline migration, which Ladder does not run. */
  | { kind: 'baseline'; version: FlywayVersion; description: string }
  /** beforeMigrate.sql, afterMigrate__x.sql, …: an SQL callback Flyway runs around commands. */
  | { kind: 'callback'; event: string; description: string }
  /** Named like a migration but invalid (V__x.sql, R1__x.sql, Vabc__x.sql): Flyway skips it silently. */
  | { kind: 'invalid'; message: string }
  /** Not a migration name at all. */
  | { kind: 'other' };

export const SEPARATOR = '__';
export const SUFFIX = '.sql';

/** api/callback/Event.java ids (Flyway 13). */
export const CALLBACK_EVENTS = [
  'beforeClean', 'afterClean', 'afterCleanError',
  'beforeMigrate', 'beforeEachMigrate', 'beforeEachMigrateStatement', 'afterEachMigrateStatement', 'afterEachMigrateStatementError',
  'afterEachMigrate', 'afterEachMigrateError', 'beforeRepeatables', 'afterVersioned', 'afterMigrateApplied', 'afterMigrate',
  'afterMigrateError', 'beforeUndo', 'beforeEachUndo', 'beforeEachUndoStatement', 'afterEachUndoStatement',
  'afterEachUndoStatementError', 'afterEachUndo', 'afterEachUndoError', 'afterUndo', 'afterUndoError', 'beforeValidate',
  'afterValidate', 'afterValidateError', 'beforeBaseline', 'afterBaseline', 'afterBaselineError', 'beforeRepair', 'afterRepair',
  'afterRepairError', 'beforeInfo', 'afterInfo', 'afterInfoError', 'afterMigrateOperationFinish', 'afterInfoOperationFinish',
  'createSchema', 'beforeCreateSchema', 'beforeConnect', 'afterConnect',
] as const;

type PrefixKind = 'V' | 'U' | 'R' | 'B' | 'callback';

/** ResourceNameParser tries the longest prefix first. */
const PREFIXES: { prefix: string; kind: PrefixKind }[] = [
  ...CALLBACK_EVENTS.map((prefix) => ({ prefix, kind: 'callback' as const })),
  { prefix: 'V', kind: 'V' as const },
  { prefix: 'U', kind: 'U' as const },
  { prefix: 'R', kind: 'R' as const },
  { prefix: 'B', kind: 'B' as const },
].sort((a, b) => b.prefix.length - a.prefix.length);

/** StringUtils.startsAndEndsWith: prefix case-sensitive, suffix case-insensitive, longer than both. */
export function hasMigrationShape(fileName: string, prefix: string): boolean {
  return fileName.startsWith(prefix) && fileName.toUpperCase().endsWith(SUFFIX.toUpperCase()) && fileName.length > prefix.length + SUFFIX.length;
}

/** StringUtils.splitAtFirstSeparator. */
function splitAtFirst(text: string): [string, string] {
  const at = text.indexOf(SEPARATOR);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + SEPARATOR.length)];
}

/** Parses a bare file name as Flyway does with its default configuration. */
export function parseFlywayName(fileName: string): FlywayName {
  if (!fileName.toUpperCase().endsWith(SUFFIX.toUpperCase())) return { kind: 'other' };
  const stem = fileName.slice(0, fileName.length - SUFFIX.length);
  const match = PREFIXES.find((p) => stem.startsWith(p.prefix));
  if (!match) return { kind: 'other' };
  const [left, right] = splitAtFirst(stem.slice(match.prefix.length));
  const description = right.replaceAll('_', ' ');
  if (match.kind === 'callback' || match.kind === 'R') {
    if (left !== '') return { kind: 'invalid', message: `Invalid repeatable migration / callback name format: ${fileName} (It cannot contain a version and should look like this: ${match.prefix}${SEPARATOR}${right || 'description'}${fileName.slice(-SUFFIX.length)})` };
    if (match.kind === 'callback') return { kind: 'callback', event: match.prefix, description };
    // The scanner only hands R files longer than "R.sql" to the resolver.
    if (!hasMigrationShape(fileName, 'R')) return { kind: 'other' };
    return { kind: 'repeatable', prefix: 'R', description };
  }
  if (left === '') return { kind: 'invalid', message: `Invalid versioned migration name format: ${fileName} (It must contain a version and should look like this: ${match.prefix}1.2${SEPARATOR}${right || 'description'}${fileName.slice(-SUFFIX.length)})` };
  const version = tryParseFlywayVersion(left);
  if (!version) return { kind: 'invalid', message: `Invalid versioned migration name format: ${fileName} (could not recognise version number ${left})` };
  if (match.kind === 'B') return { kind: 'baseline', version, description };
  return { kind: match.kind === 'V' ? 'versioned' : 'undo', prefix: match.kind, version, description };
}
