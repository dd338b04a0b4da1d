import type { Refusal } from './plan.js';

export interface RefusalText {
  /** golang-migrate's own wording where it has one, so scripts that grep for it keep working. */
  message: string;
  hint?: string;
}

export function refusalText(r: Refusal): RefusalText {
  switch (r.kind) {
    case 'dirty':
      return {
        message: `Dirty database version ${r.version}. Fix and force version.`,
        hint:
          `A migration touching version ${r.version} failed part-way, so the schema may be half-changed. ` +
          `Inspect it ("ladder status"), repair the schema or the file by hand, then record the true state: ` +
          `"ladder force ${r.version}" if version ${r.version} is now fully applied, or "ladder force <previous version>" if it is not (then "ladder up" retries it). ` +
          `"ladder recover" explains what happened and walks you through it.`,
      };
    case 'no-change':
      return { message: 'no change' };
    case 'short-limit':
      return {
        message: `limit ${r.requested} short by ${r.requested - r.available}: only ${r.available} migration${r.available === 1 ? '' : 's'} can go ${r.direction}.`,
        hint: r.available > 0 ? `Nothing was run. Use "${r.direction} ${r.available}"${r.direction === 'up' ? ' or "up"' : ' or "down -all"'}.` : 'Nothing was run.',
      };
    case 'version-not-found':
      return r.role === 'current'
        ? {
            message: `no migration found for version ${r.version}: the database is at version ${r.version}, but the folder has no file for it.`,
            hint:
              'Are -path / -source pointing at the right folder (or the right branch checked out)? ' +
              'If the file was deleted on purpose, "ladder force V" records a version that exists.',
          }
        : { message: `no migration found for version ${r.version}`, hint: 'Run "ladder status" to list the versions in the folder.' };
    case 'duplicate':
      return {
        message: `duplicate migration file: ${r.files.join(', ')} (both are version ${r.version} ${r.direction})`,
        hint: 'Each version may have one .up and one .down file. Renumber or delete one of them.',
      };
    case 'invalid-version':
      return {
        message: `"${r.version}" is not a version this format can go to or force`,
        hint: 'golang-migrate versions are whole numbers; force also takes -1 (no version).',
      };
    case 'version-out-of-range':
      return {
        message: `version ${r.version}${r.file ? ` (${r.file})` : ''} does not fit the tracking table's bigint column (at most 9223372036854775807)`,
        hint: r.file
          ? 'Nothing was run. Renumber the file with a smaller version (golang-migrate stores versions as PostgreSQL bigint).'
          : 'Nothing was changed. Versions are stored as PostgreSQL bigint; use a version from "ladder status".',
      };
    case 'format':
      return { message: r.message, hint: r.hint };
    case 'unsupported':
      return { message: `${r.format} has no ${r.intent}.`, hint: r.hint };
    case 'no-migrations':
      return { message: 'no migration files found', hint: 'Files must be named like 000001_create_users.up.sql; create one with "ladder create -seq -dir DIR NAME".' };
  }
}
