import { LadderError } from '../../errors.js';

/** A file to create: a bare name (no directory) and its exact contents. */
export interface NewMigrationFile {
  name: string;
  contents: string;
}

/**
 * dbmate's `migrationTemplate` (pkg/dbmate/db.go, v2.35.0): 33 bytes, the up and down directives with
 * two blank lines after the up and one after the down. Observed identical with the 2.36.0 binary.
 */
export const DBMATE_TEMPLATE = '-- migrate:up\n\n\n-- migrate:down\n\n';

/** dbmate's `ErrNoMigrationName` text. */
export const DBMATE_NO_NAME = 'please specify a name for the new migration';
/** dbmate's `ErrMigrationAlreadyExist` text. */
export const DBMATE_FILE_EXISTS = 'file already exists';

/** Go's `t.UTC().Format("20060102150405")` for years 0–9999. */
export function dbmateTimestamp(now: Date): string {
  const ms = now.getTime();
  if (Number.isNaN(ms)) throw new LadderError('cannot name a migration after an invalid date');
  const year = now.getUTCFullYear();
  if (year < 0 || year > 9999) throw new LadderError(`cannot name a migration after the year ${year}`, 'Check the system clock.');
  const two = (n: number) => String(n).padStart(2, '0');
  return `${String(year).padStart(4, '0')}${two(now.getUTCMonth() + 1)}${two(now.getUTCDate())}${two(now.getUTCHours())}${two(now.getUTCMinutes())}${two(now.getUTCSeconds())}`;
}

/**
 * What `dbmate new NAME` writes (`(*DB).NewMigration`, pkg/dbmate/db.go; docs/formats-spec.md §1.8):
 * one file `<UTC YYYYMMDDhhmmss>_<name>.sql` holding {@link DBMATE_TEMPLATE}. The name is used as given:
 * spaces and case are kept (`dbmate new "add users"` makes `…_add users.sql`).
 *
 * `existing` is every entry name in the (first) migrations folder; dbmate refuses when any entry,
 * of whatever type, already has the new name (`os.Stat` succeeds).
 *
 * Errors, with dbmate's own texts (dbmate prints them as `Error: <text>` and exits 2):
 * - empty name: `please specify a name for the new migration` (checked first, as dbmate does);
 * - the file already exists: `file already exists`. dbmate prints `Creating migration: <path>`
 *   before this check; callers that echo dbmate should do the same.
 *
 * Ladder's own guard: a name with `/` or NUL is refused. dbmate would join it into a path below the
 * folder, which then fails to create unless a matching subfolder happens to exist.
 */
export function dbmateNewFile(name: string, now: Date, existing: string[]): { files: NewMigrationFile[] } {
  if (name === '') throw new LadderError(DBMATE_NO_NAME);
  if (name.includes('/') || name.includes('\0')) {
    throw new LadderError(`migration name ${JSON.stringify(name)} contains "/" or NUL`, 'Use a plain name such as create_users.');
  }
  const fileName = `${dbmateTimestamp(now)}_${name}.sql`;
  if (existing.includes(fileName)) throw new LadderError(DBMATE_FILE_EXISTS, `${fileName} is already in the folder; wait a second and try again.`);
  return { files: [{ name: fileName, contents: DBMATE_TEMPLATE }] };
}
