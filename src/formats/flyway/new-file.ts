import { LadderError } from '../../errors.js';
import { parseFlywayName } from './parse-name.js';

/** A file to create: a bare name (no directory) and its exact contents. */
export interface NewMigrationFile {
  name: string;
  contents: string;
}

/** The one line Ladder puts in a new Flyway migration. */
export const FLYWAY_TEMPLATE = '-- Add migration script here\n';

/**
 * A new versioned Flyway migration, named by **Ladder's own convention**: open-source Flyway has no
 * command that creates migration files, so there is no tool output to match.
 *
 * - Name: `V<next>__<description with each ' ' replaced by '_'>.sql`, which Flyway 13 reads back
 *   (ResourceNameParser; docs/formats-spec.md §3.1) as version `<next>` and the description as given
 *   (a `_` typed in the description also reads back as a space).
 * - `<next>` is the highest major part (the first part of the version, so `V1_2__` and `V1.2__` count
 *   as 1) of any versioned file in the folder, plus one; 1 when there is none, or when all are below 1.
 *   `V`, `U` (undo) and `B` (baseline) files count, since they share the version space; repeatables,
 *   callbacks, names Flyway skips as invalid and non-migrations do not.
 * - Contents: {@link FLYWAY_TEMPLATE}, a single comment line.
 *
 * `existing` holds the file names under the location, bare or as paths relative to it (Flyway scans
 * subfolders too); only the last path segment is parsed. An empty description, or one with `/` or
 * NUL, is refused.
 */
export function flywayNewFile(description: string, existing: string[]): { files: NewMigrationFile[]; version: string } {
  if (description.trim() === '') throw new LadderError('please specify a description for the new migration', 'For example: ladder new "create users".');
  if (description.includes('/') || description.includes('\0')) {
    throw new LadderError(`migration description ${JSON.stringify(description)} contains "/" or NUL`, 'Use plain words such as "create users".');
  }
  let highest: bigint | undefined;
  for (const path of existing) {
    const parsed = parseFlywayName(path.slice(path.lastIndexOf('/') + 1));
    if (parsed.kind !== 'versioned' && parsed.kind !== 'undo' && parsed.kind !== 'baseline') continue;
    const major = parsed.version.parts[0] ?? 0n;
    if (highest === undefined || major > highest) highest = major;
  }
  const version = String(highest === undefined || highest < 1n ? 1n : highest + 1n);
  const name = `V${version}__${description.replaceAll(' ', '_')}.sql`;
  const taken = existing.some((path) => path.slice(path.lastIndexOf('/') + 1) === name);
  if (taken) throw new LadderError(`${name} already exists`);
  return { files: [{ name, contents: FLYWAY_TEMPLATE }], version };
}
