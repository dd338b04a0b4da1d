/**
 * Names in a plain-SQL project: `001_initial.sql` is migration 1 ("initial"); `001_rollback.sql`,
 * `001_rollback_initial.sql` and `rollbacks/001_rollback*.sql` are its down script, never a migration
 * of their own. `.up.sql` / `.down.sql` pairs are golang-migrate's and sqlx's, not plain files.
 */

/** The folder beside the numbered files where such projects often keep their rollback scripts. */
export const ROLLBACKS_DIR = 'rollbacks';

export type PlainName =
  | { kind: 'skip' }
  | { kind: 'up'; version: number; description: string }
  | { kind: 'down'; version: number }
  /** Named like a plain migration, but the number does not fit the table's INTEGER column. */
  | { kind: 'error'; message: string };

/** The tracking table's `version INTEGER`. */
export const PLAIN_MAX_VERSION = 2_147_483_647;

const NAME = /^([0-9]+)_(.+)\.sql$/;
const PAIR = /\.(up|down)\.sql$/;
const ROLLBACK = /^rollback(_.*)?$/;

/** inRollbacks: the file sits in the `rollbacks/` folder, where only `NNN_rollback*.sql` counts. */
export function parsePlainName(fileName: string, inRollbacks = false): PlainName {
  if (PAIR.test(fileName)) return { kind: 'skip' }; // first: a folder of 10,000 pairs is the large case
  const m = NAME.exec(fileName);
  if (!m) return { kind: 'skip' };
  const digits = m[1]!;
  const rest = m[2]!;
  const isRollback = ROLLBACK.test(rest);
  if (inRollbacks && !rest.startsWith('rollback')) return { kind: 'skip' };
  const version = Number(digits);
  if (!Number.isSafeInteger(version) || version > PLAIN_MAX_VERSION)
    return { kind: 'error', message: `${fileName}: version ${digits} does not fit the tracking table's INTEGER column (at most ${PLAIN_MAX_VERSION}).` };
  if (isRollback || inRollbacks) return { kind: 'down', version };
  return { kind: 'up', version, description: rest.replaceAll('_', ' ') };
}

/** Without allocating the result: whether the name is a plain migration or rollback (for scoring big folders). */
export function isPlainName(fileName: string): boolean {
  const kind = parsePlainName(fileName).kind;
  return kind === 'up' || kind === 'down';
}

export function isPlainRollbackName(fileName: string): boolean {
  return parsePlainName(fileName).kind === 'down';
}
