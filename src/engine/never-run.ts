import type { DbState, Version } from '../formats/types.js';
import { NIL_VERSION } from '../formats/types.js';
import { LadderError } from '../errors.js';
import { markNeverRun } from './status.js';
import type { Project } from './project.js';

/**
 * Evidence for running a migration out of order: the journal must show that the database went past `version`
 * without running it (status's "never run"). Otherwise Ladder cannot tell the migration never ran, and
 * running it could apply its work twice: refused, with what the journal does say.
 */
export async function requireNeverRun(project: Project, state: DbState, version: Version): Promise<void> {
  const steps = project.journal && project.tracking.countsBelowCurrent && state.version !== NIL_VERSION ? await project.journal.steps(project.session.client) : [];
  const status = project.status(state);
  const check = steps.length > 0 ? markNeverRun(status, steps) : undefined;
  const row = status.rows.find((r) => r.version === version);
  if (row?.state === 'never-run') return;
  const nothing = 'Nothing was run.';
  if (!row) return; // not in the folder: the planner refuses it in its own words
  if (!check)
    throw new LadderError(
      `Ladder cannot tell whether ${version} ever ran: its journal has no record of this database's steps (they were run by another tool, or with -no-journal).`,
      `${nothing} If you know it never ran, run its file by hand; "ladder status" shows what the journal knows.`,
    );
  if (check.reachesBack === null)
    throw new LadderError(`Ladder cannot tell whether ${version} ever ran: the journal does not reach back to the current version.`, `${nothing} "ladder status" shows what the journal knows.`);
  throw new LadderError(
    `${version} is not a never-run migration (it is ${row.state}): the journal does not show the database going past it without running it.`,
    `${nothing} "ladder up --never-run V" runs only what "ladder status" shows as never-run.`,
  );
}
