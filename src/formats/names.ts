import { UsageError } from '../errors.js';

/** The migration tools Ladder reads, their default folders and names; light enough for start-up. */

export type FormatName = 'golang-migrate' | 'dbmate' | 'sqlx' | 'flyway' | 'plain';

/** The tool Ladder assumes when nothing says which (golang-migrate). */
export const DEFAULT_FORMAT: FormatName = 'golang-migrate';

/** Tools that name their folder in an environment variable of their own (read from the environment, then .env). */
export const DIR_VARIABLES: Partial<Record<FormatName, string>> = { dbmate: 'DBMATE_MIGRATIONS_DIR' };

/** Also the tie order of {@link decideFormat}. */
export const FORMAT_NAMES: readonly FormatName[] = ['golang-migrate', 'dbmate', 'sqlx', 'flyway', 'plain'];

/** Default folder each tool reads when none is given: golang-migrate 'migrations', sqlx 'migrations', dbmate 'db/migrations', flyway 'db/migration', plain 'migrations'. */
export const DEFAULT_DIRS: Record<FormatName, string> = {
  'golang-migrate': 'migrations',
  dbmate: 'db/migrations',
  sqlx: 'migrations',
  flyway: 'db/migration',
  plain: 'migrations',
};

/** How each tool is named in sentences. */
export const FORMAT_LABELS: Record<FormatName, string> = {
  'golang-migrate': 'golang-migrate',
  dbmate: 'dbmate',
  sqlx: 'sqlx',
  flyway: 'Flyway',
  plain: 'plain SQL',
};

/** What each tool expects its files to be called (and, for dbmate, to contain). */
export const FORMAT_EXPECTS: Record<FormatName, string> = {
  'golang-migrate': '1_name.up.sql and 1_name.down.sql',
  dbmate: "20240101120000_name.sql starting with '-- migrate:up'",
  sqlx: '20240101120000_name.sql, or 20240101120000_name.up.sql and .down.sql',
  flyway: 'V1__name.sql and R__name.sql',
  plain: '001_name.sql, with 001_rollback.sql as its rollback',
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
  plain: 'plain',
  'plain-sql': 'plain',
  sql: 'plain',
  psql: 'plain',
};

/** Parses a -format value (case-insensitive; accept aliases 'migrate', 'golang', 'golang_migrate', 'sqlx-cli', 'plain-sql', 'psql'); throws UsageError (src/errors.ts) listing valid names. */
export function parseFormatName(raw: string): FormatName {
  const found = ALIASES[raw.trim().toLowerCase()];
  if (found) return found;
  throw new UsageError(
    `Unknown -format "${raw}": use golang-migrate, dbmate, sqlx, flyway or plain.`,
    "-format names the migration tool whose files and tracking table Ladder reads ('migrate' and 'sqlx-cli' work too); leave it out to detect it.",
  );
}

