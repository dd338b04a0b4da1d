import type { DocumentCache } from '../documents.js';
import { watchFolder, type FolderWatch } from '../folder-watch.js';
import { errText } from '../text.js';
import type { ControllerContext } from './context.js';
import type { DbRefresh } from './db-refresh.js';
import type { PreviewLoader } from './preview-loader.js';

/** Keeps the screen current while idle: the periodic database re-read and the migrations folder watch. */
export class IdleWatch {
  private refreshTimer: NodeJS.Timeout | undefined;
  private watcher: FolderWatch | undefined;
  private pollListing = false;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly docs: DocumentCache,
    private readonly db: DbRefresh,
    private readonly previews: PreviewLoader,
    private readonly isRunning: () => boolean,
  ) {}

  start(): void {
    const { watch, refreshMs } = this.ctx.settings;
    if (watch) this.startWatch();
    if (refreshMs > 0) {
      this.refreshTimer = setInterval(() => {
        // Not while a plan runs: the run reports progress itself, and the lock holder would be us.
        if (!this.isRunning()) void this.db.refresh({ listing: this.pollListing });
      }, refreshMs);
      this.refreshTimer.unref();
    }
  }

  dispose(): void {
    clearInterval(this.refreshTimer);
    this.watcher?.close();
  }

  private startWatch(): void {
    const dir = this.ctx.project.listing.dir;
    this.watcher = watchFolder(
      dir,
      (changed) => void this.onFolderChanged(changed),
      (err) => {
        this.pollListing = true;
        this.ctx.log({ kind: 'warning', text: `Not watching ${dir} (${errText(err)}); the folder is re-read every few seconds instead.` });
      },
    );
  }

  private async onFolderChanged(changed: (string | null)[]): Promise<void> {
    if (this.ctx.isDisposed()) return;
    if (changed.includes(null)) this.docs.invalidate();
    else for (const f of changed) if (f) this.docs.invalidate(f);
    await this.db.reloadListing();
    this.previews.filesChanged(changed);
  }
}
