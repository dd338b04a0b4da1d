import { catalogSnapshot, type CatalogSnapshot } from '../../db/catalog.js';
import type { ScratchDatabase, ScratchServer } from '../../db/scratch.js';
import type { DatabaseTarget } from '../../db/url.js';
import { JOURNAL_TABLE } from '../journal.js';
import type { Intent } from '../plan.js';
import type { Project } from '../project.js';
import type { RunEvent, StepError } from '../events.js';
import { refusalText } from '../refusal-text.js';
import { bareTableName } from './step-snapshot.js';

/** Opens the same folder, in the same format, on another database (a scratch one). */
export type OpenLike = (target: DatabaseTarget) => Promise<Project>;


/** What snapshots leave out: the project's tracking table and Ladder's journal. */
export function ownTables(project: Project): string[] {
  return [bareTableName(project.tracking.table), JOURNAL_TABLE];
}

export type StepResult = { ok: true } | { ok: false; error: string; line?: number; file?: string };

/** A project opened on a fresh scratch database, driven through the engine's own plans. */
export class Replay {
  private constructor(
    readonly server: ScratchServer,
    private db: ScratchDatabase,
    private project: Project,
    private readonly open: OpenLike,
    readonly exclude: string[],
  ) {}

  static async start(server: ScratchServer, open: OpenLike, exclude: string[]): Promise<Replay> {
    const db = await server.create();
    try {
      const project = await open(db.target);
      await project.ensureTable();
      return new Replay(server, db, project, open, exclude);
    } catch (err) {
      await db.drop();
      throw err;
    }
  }

  /** Drops the scratch database and starts again from an empty one. */
  async restart(): Promise<void> {
    await this.close();
    this.db = await this.server.create();
    this.project = await this.open(this.db.target);
    await this.project.ensureTable();
  }

  snapshot(): Promise<CatalogSnapshot> {
    return catalogSnapshot(this.project.session.client, undefined, { excludeTables: this.exclude });
  }

  async run(intent: Intent, emit?: (e: RunEvent) => void): Promise<StepResult> {
    const state = await this.project.readState();
    const planned = this.project.plan(state, intent);
    if (!planned.ok) {
      if (planned.refusal.kind === 'no-change') return { ok: true };
      return { ok: false, error: refusalText(planned.refusal).message };
    }
    const outcome = await this.project.run(planned.plan, { journal: false, emit });
    if (outcome.status === 'failed') return { ok: false, ...failure(outcome.error), file: outcome.step.file?.path };
    return { ok: true };
  }

  async close(): Promise<void> {
    await this.project.close().catch(() => undefined);
    await this.db.drop();
  }
}

function failure(e: StepError): { error: string; line?: number } {
  return { error: e.message, line: e.line };
}
