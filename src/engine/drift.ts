import { catalogSnapshot, schemaChanges, type SchemaChange } from '../db/catalog.js';
import type { ScratchServer } from '../db/scratch.js';
import { NIL_VERSION } from '../formats/types.js';
import { LadderError } from '../errors.js';
import type { Project } from './project.js';
import { ownTables, Replay, type OpenLike } from './insight/replay.js';

export interface DriftItem extends SchemaChange {
  /** The change plus what it means, e.g. `+ column t.hand_made int (not made by any migration)`. */
  line: string;
}

export interface DriftReport {
  version: string;
  scratch: string;
  /** Empty: the database is what its migrations make. */
  drift: DriftItem[];
  /** Set when the scratch server is another major version than the target (definitions may print differently). */
  versionNote?: string;
}

const MEANING: Record<SchemaChange['sign'], string> = {
  '+': 'not made by any migration',
  '-': 'made by the migrations, missing here',
  '~': 'the migrations make it otherwise',
};

/**
 * Replays the migrations up to the target's current version into a scratch database and compares
 * the two catalogs, leaving out the tracking table and Ladder's journal.
 */
export async function detectDrift(project: Project, server: ScratchServer, open: OpenLike): Promise<DriftReport> {
  const state = await project.readState();
  if (state.dirty)
    throw new LadderError(
      `The database is dirty at version ${state.version}: a step did not finish, so there is no version to replay up to.`,
      '"ladder recover" explains what the failed step left; check drift once the database is clean.',
    );
  const exclude = ownTables(project);
  const actual = await catalogSnapshot(project.session.client, undefined, { excludeTables: exclude });
  const targetVersion = Number((await project.session.client.query('SHOW server_version_num')).rows[0].server_version_num);
  const replay = await Replay.start(server, open, exclude);
  try {
    if (state.version !== NIL_VERSION) {
      const r = await replay.run({ kind: 'goto', version: state.version });
      if (!r.ok)
        throw new LadderError(
          `Replaying the migrations up to ${state.version} on a scratch database failed: ${r.error}${r.file ? ` (${r.file}${r.line ? `:${r.line}` : ''})` : ''}.`,
          'The migrations do not rebuild this schema from an empty database; fix that first (ladder verify shows the same).',
        );
    }
    const expected = await replay.snapshot();
    const drift = schemaChanges(expected, actual, { defaultSchema: project.schema }).map((c) => ({ ...c, line: `${c.text} (${MEANING[c.sign]})` }));
    const major = (n: number) => Math.floor(n / 10000);
    const versionNote =
      major(targetVersion) !== major(server.versionNum)
        ? `The scratch server is PostgreSQL ${major(server.versionNum)} and the database ${major(targetVersion)}: definitions can print differently across major versions. --scratch URL on a server like the target's avoids that.`
        : undefined;
    return { version: state.version, scratch: server.where, drift, versionNote };
  } finally {
    await replay.close();
  }
}
