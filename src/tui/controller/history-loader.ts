import { errText } from '../text.js';
import { listJournal } from '../../engine/journal-live.js';
import type { ControllerContext } from './context.js';

/** Reads the journal for the history view (on the monitor connection; the view shows it when it arrives). */
export class HistoryLoader {
  private token = 0;
  private loading = false;
  private again = false;

  constructor(private readonly ctx: ControllerContext) {}

  load(): void {
    // One read at a time; changes during a read ask for one more (a 10,000-step run stays cheap).
    if (this.loading) {
      this.again = true;
      return;
    }
    this.loading = true;
    const token = ++this.token;
    const { project, store, monitor } = this.ctx;
    const journal = this.ctx.settings.journal;
    const done = () => {
      this.loading = false;
      if (this.again) {
        this.again = false;
        this.changed();
      }
    };
    const projectJournal = project.journal;
    if (!projectJournal) {
      // The tool's own table is the record: the view lists its rows (from the state the TUI re-reads anyway).
      const s = store.getState();
      const tool = s.info.tool ?? project.format;
      const none = `Ladder keeps no journal of its own for ${tool} projects: ${project.tracking.table} is ${tool}'s record, newest first.`;
      store.dispatch({ type: 'history-loaded', entries: [], error: null, journal, none });
      done();
      return;
    }
    monitor.use((db) => listJournal(db, projectJournal, project.tracking.lockId, 500), 15_000).then(
      (entries) => {
        if (token === this.token && !this.ctx.isDisposed()) store.dispatch({ type: 'history-loaded', entries, error: null, journal });
        done();
      },
      (err) => {
        if (token === this.token && !this.ctx.isDisposed()) store.dispatch({ type: 'history-loaded', entries: [], error: errText(err), journal });
        done();
      },
    );
  }

  /** The history view follows what happens while it is open. */
  changed(): void {
    if (!this.ctx.isDisposed() && this.ctx.store.getState().mode === 'history') this.load();
  }
}
