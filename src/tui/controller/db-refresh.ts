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
        try {
          const { state, lockHolder } = await this.ctx.monitor.read();
          if (this.ctx.isDisposed()) return;
          store.dispatch({ type: 'db-state', state, lockHolder });
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
