import type { Project } from '../engine/project.js';
import { DbMonitor, type MonitorConnection } from './db-monitor.js';
import { DocumentCache, sectionKey } from './documents.js';
import type { Step } from '../engine/plan.js';
import type { SqlDocument } from './sql-document.js';
import { loadHighlighter } from './highlight.js';
import { routeKey } from './keymap.js';
import type { KeyInfo } from './command.js';
import { splitKeys } from './split-keys.js';
import { mouseCommand, parseMouse } from './mouse.js';
import { selectedRow } from './reducer.js';
import { GUARD_MS, InputGuard } from './controller/input-guard.js';
import type { LogEntry } from './log-lines.js';
import type { Store } from './store.js';
import { errText } from './text.js';
import { BufferedFeed } from './controller/buffered-feed.js';
import { executeCommand, type CommandTargets } from './controller/commands.js';
import type { ControllerContext } from './controller/context.js';
import { DbRefresh, type RefreshOptions } from './controller/db-refresh.js';
import { HistoryLoader } from './controller/history-loader.js';
import { IdleWatch } from './controller/idle-watch.js';
import { PlanRunner, type CancelChoice } from './controller/plan-runner.js';
import { Planner } from './controller/planner.js';
import { PreviewLoader } from './controller/preview-loader.js';
import { RecoveryGuide } from './controller/recovery-guide.js';
import { DriftCheck, stepDiffLines } from './controller/schema-insight.js';
import { capabilitiesOf } from './capabilities.js';
import { Baseline } from './controller/baseline.js';
import { DryRun } from './controller/rehearsal.js';

export type { MonitorConnection } from './db-monitor.js';
export type { CancelChoice } from './controller/plan-runner.js';

export interface ControllerOptions {
  project: Project;
  store: Store;
  lockTimeoutMs: number;
  /** Re-read the database this often (ms) when idle; 0 turns it off. */
  refreshMs?: number;
  /** Watch the migrations folder (fs.watch). */
  watch?: boolean;
  /** Flush the log and run progress to state at most this often (ms). */
  flushMs?: number;
  openMonitor?: () => Promise<MonitorConnection>;
  /** Record each step in Ladder's journal (the -no-journal flag turns it off). */
  journal?: boolean;
  /** A server where :drift may create and drop its scratch database; an embedded PostgreSQL when absent. */
  scratchUrl?: string;
  now?: () => number;
  /** How long a key that would change something is held off after a layer changed by itself (ms). */
  guardMs?: number;
}

/**
 * Everything with side effects: the engine (plan, lock, run), the database re-reads, the folder watch,
 * file reads for the preview, and the notice ring buffer. Components never touch any of it: they
 * render the store's state and hand keys (and menu choices) to this controller, which wires the parts
 * in ./controller/ together.
 */
export class TuiController {
  private readonly ctx: ControllerContext;
  private readonly feed: BufferedFeed;
  private readonly previews: PreviewLoader;
  private readonly db: DbRefresh;
  private readonly idle: IdleWatch;
  private readonly history: HistoryLoader;
  private readonly planner: Planner;
  private readonly runner: PlanRunner;
  private readonly recovery: RecoveryGuide;
  private readonly targets: CommandTargets;
  private readonly guard: InputGuard;
  private disposed = false;

  constructor(options: ControllerOptions) {
    const { project, store } = options;
    this.ctx = {
      project,
      store,
      monitor: new DbMonitor(project, options.openMonitor),
      settings: {
        lockTimeoutMs: options.lockTimeoutMs,
        refreshMs: options.refreshMs ?? 3000,
        watch: options.watch ?? true,
        flushMs: options.flushMs ?? 100,
        journal: options.journal ?? true,
        scratchUrl: options.scratchUrl,
        now: options.now ?? (() => Date.now()),
      },
      caps: capabilitiesOf(project),
      log: (entry) => this.log(entry),
      isDisposed: () => this.disposed,
    };
    const isRunning = () => this.runner.isRunning();
    const docs = new DocumentCache();
    this.feed = new BufferedFeed(this.ctx, isRunning);
    this.previews = new PreviewLoader(store, docs);
    this.history = new HistoryLoader(this.ctx);
    this.db = new DbRefresh(this.ctx, {
      historyChanged: () => this.history.changed(),
      stateShown: (state) => this.recovery.openIfNew(state),
    });
    this.idle = new IdleWatch(this.ctx, docs, this.db, this.previews, isRunning);
    this.planner = new Planner(this.ctx, docs, this.db, isRunning);
    this.runner = new PlanRunner(this.ctx, this.feed, this.db, this.planner, this.history, () => this.recovery.open('failure'), (step) => stepDocument(docs, step));
    this.recovery = new RecoveryGuide(this.ctx, this.planner);
    this.targets = {
      ctx: this.ctx,
      planner: this.planner,
      runner: this.runner,
      recovery: this.recovery,
      db: this.db,
      history: this.history,
      loadDetail: () => this.loadDetail(docs),
      drift: new DriftCheck(this.ctx),
      baseline: new Baseline(this.ctx, this.planner, this.runner, this.db, this.history),
      dryRun: new DryRun(this.ctx, this.planner, this.runner),
    };
    this.guard = new InputGuard(options.guardMs ?? GUARD_MS, this.ctx.settings.now, (text) => this.log({ kind: 'warning', text }), store);
    store.setAfterDispatch((prev, next) => {
      this.guard.afterDispatch(prev, next);
      this.previews.afterDispatch(next);
    });
  }

  /** Starts the folder watch and the periodic re-read, and loads the first preview. */
  start(): void {
    const { store } = this.ctx;
    this.previews.afterDispatch(store.getState());
    this.idle.start();
    const st = store.getState();
    // What Ladder took the folder for, and why; and when the tool ignores Ladder's lock, say so once.
    const tool = st.info.tool ?? st.info.format;
    if (st.info.detection) this.log({ kind: 'info', text: `${tool} project: ${st.info.detection}` });
    if (st.info.toolLocks === false && st.info.lockNote) this.log({ kind: 'warning', text: st.info.lockNote });
    // A dirty database opens the guide first; a tool that counts a half-done step as pending is asked too.
    if (st.db.state?.dirty || this.ctx.caps.tracks === 'rows') this.recovery.open('failure');
    // The highlighter loads after the first frame (it costs ~100 ms); the SQL is recoloured when it is in.
    if (st.color)
      setTimeout(() => {
        loadHighlighter().then(
          () => !this.disposed && store.dispatch({ type: 'highlighter-ready' }),
          (err) => this.log({ kind: 'warning', text: `No syntax colours: ${errText(err)}` }),
        );
      }, 0);
    void this.db.refresh({ listing: false });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.planner.dispose();
    this.idle.dispose();
    this.feed.dispose();
    this.ctx.store.setAfterDispatch(undefined);
    await this.runner.dispose();
    await this.db.settled();
    await this.ctx.monitor.close();
  }

  /** The single entry point for keys (from the one top-level useInput). */
  handleKey = (input: string, key: KeyInfo): void => {
    const mouse = parseMouse(input);
    if (mouse) return executeCommand(mouseCommand(this.ctx.store.getState(), mouse), this.targets);
    // Every key of a read, in order, each routed by the layer on screen when it comes.
    for (const k of splitKeys(input, key)) {
      const cmd = routeKey(this.ctx.store.getState(), k.input, k.key);
      if (this.guard.drops(cmd, k.input, k.key)) continue;
      this.guard.keyed(() => executeCommand(cmd, this.targets));
    }
  };

  private loadDetail(docs: DocumentCache): void {
    const { store } = this.ctx;
    const s = store.getState();
    const row = selectedRow(s);
    const m = row ? s.byVersion.get(row.version) : undefined;
    const half = (d: 'up' | 'down'): Promise<SqlDocument | null> => {
      const f = m?.[d];
      if (!f) return Promise.resolve(null);
      return (f.sql === undefined ? docs.load(f.path) : docs.loadSection(sectionKey(f.path, d), f.path, f.sql)).catch(() => null);
    };
    void Promise.all([half('up'), half('down')]).then(([up, down]) => {
      if (!this.disposed && store.getState().mode === 'detail') store.dispatch({ type: 'detail-docs', up, down });
    });
    if (row)
      void stepDiffLines(this.ctx, row.version).then((lines) => {
        if (!this.disposed && store.getState().mode === 'detail' && selectedRow(store.getState())?.version === row.version) store.dispatch({ type: 'detail-diff', diff: { status: 'ready', lines } });
      });
  }

  log(entry: LogEntry): void {
    this.feed.log(entry);
  }

  /** Re-reads the database (and the folder when asked) on the monitor connection. */
  refresh(o: RefreshOptions): Promise<void> {
    return this.db.refresh(o);
  }

  /** Menu choice while a plan runs. */
  chooseCancel = (choice: CancelChoice): void => {
    this.runner.chooseCancel(choice);
  };

  /** An ambiguous folder: the user says which tool's it is; Ladder reopens it as that tool's project. */
  chooseTool = (index: number): void => {
    const format = this.ctx.store.getState().toolChoice?.candidates[index];
    if (format) this.ctx.store.dispatch({ type: 'tool-chosen', format });
  };

  highlightRecovery = (index: number): void => {
    this.recovery.highlight(index);
  };

  /** Menu choice in the dirty-database guide: every way out shows its plan and asks y/N. */
  chooseRecovery = (index: number): void => {
    this.recovery.choose(index);
  };
}

/** The SQL a step runs, as the preview shows it (dbmate: the section only); null when it has no file. */
function stepDocument(docs: DocumentCache, step: Step): Promise<SqlDocument | null> {
  if (step.kind !== 'migrate' || !step.file) return Promise.resolve(null);
  const f = step.file;
  return f.sql === undefined ? docs.load(f.path) : docs.loadSection(sectionKey(f.path, step.direction), f.path, f.sql);
}
