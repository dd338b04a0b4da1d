import type { DbState } from '../../formats/types.js';
import { errText, where } from '../text.js';
import type { ControllerContext } from './context.js';

export interface RefreshOptions {
  listing: boolean;
  announce?: boolean;
  /** Queue behind a re-read already under way instead of joining it. */
  force?: boolean;
}

export interface RefreshHooks {
  /** The history view follows what happens while it is open. */
  historyChanged(): void;
  /** The state just read is shown: a new failure opens its recovery guide. */
  stateShown(state: DbState): void;
}

/** Re-reads the database (and the folder when asked) on the monitor connection, one re-read at a time. */
export class DbRefresh {
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly hooks: RefreshHooks,
  ) {}

  refresh(o: RefreshOptions): Promise<void> {
    if (this.refreshing && !o.force) return this.refreshing;
    const prev = this.refreshing ?? Promise.resolve();
    const job = prev
      .catch(() => undefined)
      .then(async () => {
        const { project, store } = this.ctx;
        if (this.ctx.isDisposed()) return;
        if (o.listing) await this.reloadListing();
        if (o.force) this.stepsReadFor = undefined; // after a run: the journal has new steps even where the state did not move
        try {
          const { state, lockHolder } = await this.ctx.monitor.read();
          if (this.ctx.isDisposed()) return;
          store.dispatch({ type: 'db-state', state, lockHolder });
          await this.readJournalSteps(state);
          this.hooks.historyChanged();
          if (o.announce)
            this.ctx.log({
              kind: 'info',
              text: `The database ${where(state.version)}${state.dirty ? (this.ctx.caps.failedWord === 'FAILED' ? ' (a migration is marked failed)' : ' (dirty)') : ''}; ${project.listing.migrations.length} migrations in the folder.`,
            });
          this.hooks.stateShown(state);
        } catch (err) {
          if (!this.ctx.isDisposed()) store.dispatch({ type: 'db-error', message: errText(err) });
        }
      });
    const tracked = job.finally(() => {
      if (this.refreshing === tracked) this.refreshing = undefined;
    });
    this.refreshing = tracked;
    return tracked;
  }

  /**
   * Where the tool counts every version below the current one as applied, the journal's steps mark the
   * versions the database went past without running them (never run). Read again only when the state
   * changed: the journal changes only with it.
   */
  private async readJournalSteps(state: DbState): Promise<void> {
    const { project, store } = this.ctx;
    const journal = project.journal;
    if (!journal || !project.tracking.countsBelowCurrent) return;
    const key = `${state.version}/${state.dirty}`;
    if (key === this.stepsReadFor) return;
    try {
      const steps = await this.ctx.monitor.use((c) => journal.steps(c));
      if (this.ctx.isDisposed()) return;
      this.stepsReadFor = key;
      store.dispatch({ type: 'journal-steps', steps });
    } catch {
      // Without the journal Ladder cannot tell a never-run version: the rows stay as the tool counts them.
    }
  }

  private stepsReadFor: string | undefined;

  /** The state now, after any re-read under way (the plan is made from it). */
  async readStateNow(): Promise<DbState> {
    await this.refreshing?.catch(() => undefined);
    const state = await this.ctx.monitor.readState();
    this.ctx.store.dispatch({ type: 'db-state', state, lockHolder: this.ctx.store.getState().db.lockHolder });
    return state;
  }

  async reloadListing(): Promise<void> {
    try {
      const listing = await this.ctx.project.reloadListing();
      if (this.ctx.isDisposed()) return;
      this.ctx.store.dispatch({ type: 'listing', listing });
    } catch (err) {
      this.ctx.log({ kind: 'error', text: `Could not read the migrations folder: ${errText(err)}` });
    }
  }

  /** Waits for a re-read under way (on dispose). */
  async settled(): Promise<void> {
    await this.refreshing?.catch(() => undefined);
  }
}
