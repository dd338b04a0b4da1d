import { UsageError } from '../errors.js';

/** The migration tools Ladder reads, their default folders and names; light enough for start-up. */

export type FormatName = 'golang-migrate' | 'dbmate' | 'sqlx' | 'flyway';

/** Also the tie order of {@link decideFormat}. */
export const FORMAT_NAMES: readonly FormatName[] = ['golang-migrate', 'dbmate', 'sqlx', 'flyway'];

/** Default folder each tool reads when none is given: golang-migrate 'migrations', sqlx 'migrations', dbmate 'db/migrations', flyway 'db/migration'. */
export const DEFAULT_DIRS: Record<FormatName, string> = {
  'golang-migrate': 'migrations',
  dbmate: 'db/migrations',
  sqlx: 'migrations',
  flyway: 'db/migration',
};

/** How each tool is named in sentences. */
export const FORMAT_LABELS: Record<FormatName, string> = {
  'golang-migrate': 'golang-migrate',
  dbmate: 'dbmate',
  sqlx: 'sqlx',
  flyway: 'Flyway',
};

/** What each tool expects its files to be called (and, for dbmate, to contain). */
export const FORMAT_EXPECTS: Record<FormatName, string> = {
  'golang-migrate': '1_name.up.sql and 1_name.down.sql',
  dbmate: "20240101120000_name.sql starting with '-- migrate:up'",
  sqlx: '20240101120000_name.sql, or 20240101120000_name.up.sql and .down.sql',
  flyway: 'V1__name.sql and R__name.sql',
};

const ALIASES: Record<string, FormatName> = {
  'golang-migrate': 'golang-migrate',
  golang_migrate: 'golang-migrate',
  golang: 'golang-migrate',
  migrate: 'golang-migrate',
  dbmate: 'dbmate',
  sqlx: 'sqlx',
  'sqlx-cli': 'sqlx',
  flyway: 'flyway',
};

/** Parses a -format value (case-insensitive; accept aliases 'migrate', 'golang', 'golang_migrate', 'sqlx-cli'); throws UsageError (src/errors.ts) listing valid names. */
export function parseFormatName(raw: string): FormatName {
  const found = ALIASES[raw.trim().toLowerCase()];
  if (found) return found;
  throw new UsageError(
    `Unknown -format "${raw}": use golang-migrate, dbmate, sqlx or flyway.`,
    "-format names the migration tool whose files and tracking table Ladder reads ('migrate' and 'sqlx-cli' work too); leave it out to detect it.",
  );
}

