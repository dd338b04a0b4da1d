import { normalizeSnapshot, schemaChanges, type SchemaChange } from '../db/catalog.js';
import type { Version } from '../formats/types.js';
import { LadderError } from '../errors.js';
import type { JournalEntry } from './journal.js';
import type { Project } from './project.js';

export interface StepDiff {
  entry: JournalEntry;
  /** null: the journal holds no after-picture (the step did not commit), see `why`. */
  changes: SchemaChange[] | null;
  why?: string;
}

/** What the last recorded run (up or down) of a version changed, from the pictures its journal row holds. */
export async function lastStepDiff(project: Project, version: Version): Promise<StepDiff> {
  if (!project.journal)
    throw new LadderError(
      `Ladder keeps no journal for ${project.format} projects, so it has no record of what ${version} changed.`,
      '"ladder verify" shows what each migration does on a scratch database.',
    );
  const last = await project.journal.lastRun(project.session.client, version);
  if (!last)
    throw new LadderError(
      `The journal has no run of ${version} on this database.`,
      'Only steps Ladder ran (without -no-journal) are recorded; "ladder history" lists them.',
    );
  const { entry, pictures } = last;
  if (!pictures?.before)
    return { entry, changes: null, why: 'this run was recorded without a schema picture (an older Ladder, or a file with nothing to run)' };
  if (!pictures.after) return { entry, changes: null, why: `this run ended ${entry.outcome}, so nothing it did was committed as a finished step` };
  const changes = schemaChanges(normalizeSnapshot(pictures.before), normalizeSnapshot(pictures.after), { defaultSchema: project.schema });
  return { entry, changes };
}
