import type { Queryable, Tracker, Version } from '../formats/types.js';
import { namesLiteral, type Journal, type StepRecord } from './journal.js';
import { quoteLiteral } from '../db/quote.js';
import { LadderError } from '../errors.js';

/**
 * The bookkeeping around each file of a version-tracking run (the dirty marker with the journal's row,
 * the clean marker with its 'ok'), prepared once per run and then EXECUTEd, once the run's first step
 * has left the tracking table with the one row it updates in place.
 *
 * Sent as text, those four statements were parsed and planned again for every step: on a 2-core VM,
 * a third of the server's time for a one-table migration. Prepared, each half is one statement (the
 * tracking write is a data-modifying WITH of the journal's), planned once. The rows written are the
 * same, in the same transactions.
 *
 * Prepared statements belong to the session: a file that runs DEALLOCATE or DISCARD removes them, so
 * that step and the rest of the run go back to text (see {@link PreparedSteps.forget}).
 */
export interface PreparedSteps {
  /**
   * Prepares both statements, with the journal's schema pictures or without (the same for the whole
   * run); false (and text from then on) when the server refuses them.
   */
  prepare(db: Queryable, pictures: boolean): Promise<boolean>;
  /** The dirty marker (and the journal's 'running' row) of a step, as one statement. */
  dirty(target: Version, record: StepRecord | undefined): string;
  /** The clean marker (and the journal's 'ok', with the picture of these names when pictures are on). */
  clean(target: Version, names: readonly string[] | null | undefined): string;
  /** Whether the statements exist in the session now. */
  readonly ready: boolean;
  /** The session lost them (or is about to): text until they are prepared again. */
  forget(): void;
  /** Drops them from the session (at the end of the run). */
  release(db: Queryable): Promise<void>;
}

let runs = 0;

export function preparedSteps(tracker: Tracker, journal: Journal | undefined): PreparedSteps {
  // Names of this run's own: a run that ended early may have left its statements in a session the TUI keeps.
  const id = ++runs;
  // A new pair after forget(): the file that made the run forget them may not have dropped them.
  let generation = 0;
  const made: string[] = [];
  let dirtyName = '';
  let cleanName = '';
  let ready = false;
  let pictures = false;
  const { versionType, sql: track } = tracker.ownRowUpdate;
  const literal = (v: Version) => {
    if (versionType === 'bigint' && !/^-?\d+$/.test(v)) throw new LadderError(`Versions here are integers; "${v}" is not one.`);
    return versionType === 'bigint' ? v : quoteLiteral(v);
  };
  return {
    async prepare(db, withPictures) {
      generation++;
      dirtyName = `ladder_step_dirty_${id}_${generation}`;
      cleanName = `ladder_step_clean_${id}_${generation}`;
      pictures = withPictures && journal !== undefined;
      // With the journal, the tracking write is a WITH of the journal's statement: one statement, one plan.
      const start = journal?.startStatement(2, pictures);
      const dirtySql = start ? `WITH track AS (${track('$1', true)}) ${start.sql}` : track('$1', true);
      const cleanSql = journal ? `WITH track AS (${track('$1', false)}) ${journal.finishStatement(pictures ? '$2' : undefined)}` : track('$1', false);
      const dirtyTypes = [versionType, ...(start?.types ?? [])];
      const cleanTypes = [versionType, ...(pictures ? ['text[]'] : [])];
      ready = await db
        .query(`PREPARE ${dirtyName}(${dirtyTypes.join(', ')}) AS ${dirtySql};PREPARE ${cleanName}(${cleanTypes.join(', ')}) AS ${cleanSql}`)
        .then(
          () => true,
          () => false,
        );
      if (ready) made.push(dirtyName, cleanName);
      return ready;
    },
    dirty: (target, record) => `EXECUTE ${dirtyName}(${[literal(target), ...(record && journal ? journal.startArgs(record, pictures) : [])].join(', ')});`,
    clean: (target, names) => `EXECUTE ${cleanName}(${[literal(target), ...(pictures ? [namesLiteral(names ?? null)] : [])].join(', ')});`,
    get ready() {
      return ready;
    },
    forget() {
      ready = false;
    },
    async release(db) {
      ready = false;
      // One by one: a statement a file already dropped must not keep the others.
      for (const name of made.splice(0)) await db.query(`DEALLOCATE ${name}`).catch(() => undefined);
    },
  };
}
