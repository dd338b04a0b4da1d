import type { Project, ProjectRunOptions } from '../engine/project.js';
import { describeIntent, stepLabel, type Intent, type Plan, type Refusal } from '../engine/plan.js';
import { refusalText } from '../engine/refusal-text.js';
import type { RunControl } from '../engine/run.js';
import type { RunEvent, RunOutcome } from '../engine/events.js';
import { describeHolder } from '../db/session.js';
import type { DbState, Version } from '../formats/types.js';
import { NIL_VERSION } from '../formats/types.js';
import { goDuration } from '../headless/go-duration.js';
import { redact } from '../redact.js';
import { DbMonitor, type MonitorConnection } from './db-monitor.js';
import { DocumentCache, HEAD_BYTES, sectionKey } from './documents.js';
import { watchFolder, type FolderWatch } from './folder-watch.js';
import { buildPlanView, planName, planSignature, stepText } from './plan-view.js';
import { recoveryPlan, type RecoveryOption } from '../engine/recovery.js';
import { recoveryItems } from './recovery-choices.js';
import { errText, versionText, where, wrapLines } from './text.js';
import { loadHighlighter } from './highlight.js';
import { routeKey, type Command, type KeyInfo } from './keymap.js';
import { noticeEntry, oneLine, type LogEntry, type LogLine } from './log-lines.js';
import { RingBuffer } from './ring-buffer.js';
import { selectedRow } from './reducer.js';
import type { LedgerGuide, LedgerWayOut, PlanView, StepResult, UiState } from './state.js';
import type { Store } from './store.js';

export type { MonitorConnection } from './db-monitor.js';

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
  now?: () => number;
}

export type CancelChoice = 'stop' | 'cancel-now' | 'keep';

const LOG_CAPACITY = 5000;
const LOG_IN_STATE = 2000;

/**
 * Everything with side effects: the engine (plan, lock, run), the database re-reads, the folder watch,
 * file reads for the preview, and the notice ring buffer. Components never touch any of it: they
 * render the store's state and hand keys (and menu choices) to this controller.
 */
export class TuiController {
  private readonly project: Project;
  private readonly store: Store;
  private readonly opts: Required<Omit<ControllerOptions, 'project' | 'store' | 'openMonitor'>>;
  private readonly monitor: DbMonitor;
  private readonly docs = new DocumentCache();
  private readonly ring = new RingBuffer<LogLine>(LOG_CAPACITY);
  private logId = 0;
  private logDirty = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private refreshTimer: NodeJS.Timeout | undefined;
  private tickTimer: NodeJS.Timeout | undefined;
  private watcher: FolderWatch | undefined;
  private pollListing = false;
  private refreshing: Promise<void> | undefined;
  private requested: string | null = null;
  private planToken = 0;
  private shownPlan: Plan | undefined;
  private control: RunControl | undefined;
  private running: Promise<void> | undefined;
  private progress: { started: boolean; index: number; stepStartedAt: number; completed: number; results: StepResult[]; dirty: boolean } | undefined;
  private liveState: DbState | undefined;
  private disposed = false;
  private recoveryToken = 0;
  private historyToken = 0;
  private historyLoading = false;
  private historyAgain = false;
  /** Set-tracking tools: a step finished, so re-read the rows (at most once per flush) to redraw the markers. */
  private liveWanted = false;
  private liveReading = false;
  /**
   * The tool tracks a row per migration (dbmate, sqlx, Flyway): force, forget and repair act on the
   * selected row; a failed row gets the failed-migration panel. golang-migrate (one version and a dirty
   * flag) has the typed force and the guided recovery.
   */
  private readonly perRow: boolean;

  constructor(options: ControllerOptions) {
    this.project = options.project;
    this.store = options.store;
    this.opts = {
      lockTimeoutMs: options.lockTimeoutMs,
      refreshMs: options.refreshMs ?? 3000,
      watch: options.watch ?? true,
      flushMs: options.flushMs ?? 100,
      journal: options.journal ?? true,
      now: options.now ?? (() => Date.now()),
    };
    this.monitor = new DbMonitor(this.project, options.openMonitor);
    this.perRow = !this.project.guidedRecovery;
    this.store.setAfterDispatch((_prev, next) => this.afterDispatch(next));
  }

  /** Starts the folder watch and the periodic re-read, and loads the first preview. */
  start(): void {
    this.afterDispatch(this.store.getState());
    if (this.opts.watch) this.startWatch();
    if (this.opts.refreshMs > 0) {
      this.refreshTimer = setInterval(() => {
        // Not while a plan runs: the run reports progress itself, and the lock holder would be us.
        if (!this.running) void this.refresh({ listing: this.pollListing });
      }, this.opts.refreshMs);
      this.refreshTimer.unref();
    }
    const st = this.store.getState();
    // What Ladder took the folder for, and why; and when the tool ignores Ladder's lock, say so once.
    const tool = st.info.tool ?? st.info.format;
    if (st.info.detection) this.log({ kind: 'info', text: `${tool} project: ${st.info.detection}` });
    if (st.info.toolLocks === false && st.info.lockNote) this.log({ kind: 'warning', text: st.info.lockNote });
    if (st.db.state?.dirty) this.openRecovery();
    // The highlighter loads after the first frame (it costs ~100 ms); the SQL is recoloured when it is in.
    if (st.color)
      setTimeout(() => {
        loadHighlighter().then(
          () => !this.disposed && this.store.dispatch({ type: 'highlighter-ready' }),
          (err) => this.log({ kind: 'warning', text: `No syntax colours: ${errText(err)}` }),
        );
      }, 0);
    void this.refresh({ listing: false });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.planToken++;
    clearInterval(this.refreshTimer);
    clearInterval(this.tickTimer);
    clearTimeout(this.flushTimer);
    this.watcher?.close();
    this.store.setAfterDispatch(undefined);
    if (this.control) this.control.stopRequested = true;
    await this.running?.catch(() => undefined);
    await this.refreshing?.catch(() => undefined);
    await this.monitor.close();
  }

  /** The single entry point for keys (from the one top-level useInput). */
  handleKey = (input: string, key: KeyInfo): void => {
    this.execute(routeKey(this.store.getState(), input, key));
  };

  log(entry: LogEntry): void {
    this.ring.push({ id: ++this.logId, kind: entry.kind, text: oneLine(redact(entry.text)) });
    this.logDirty = true;
    this.scheduleFlush();
  }

  // ---------------------------------------------------------------- commands

  private execute(cmd: Command): void {
    const s = this.store.getState();
    switch (cmd.kind) {
      case 'none':
        return;
      case 'dispatch':
        this.store.dispatch(cmd.action);
        return;
      case 'plan':
        void this.requestPlan(cmd.intent);
        return;
      case 'goto-selected': {
        const row = selectedRow(s);
        if (!row) return this.log({ kind: 'info', text: 'No migration selected.' });
        if (row.repeatable) return this.log({ kind: 'info', text: `"${row.name}" is a repeatable migration: it has no version to go to. u / U run it when it is due (new, or its file changed).` });
        void this.requestPlan({ kind: 'goto', version: row.version });
        return;
      }
      case 'force':
        if (this.perRow) this.forceRow();
        else if (s.db.state?.dirty) this.openRecovery();
        else this.openForcePrompt();
        return;
      case 'forget': {
        const row = selectedRow(s);
        if (!row) return this.log({ kind: 'info', text: 'No migration selected.' });
        void this.requestPlan({ kind: 'forget', version: row.version });
        return;
      }
      case 'repair':
        void this.requestPlan({ kind: 'repair' });
        return;
      case 'force-submit': {
        const v = s.prompt.value.trim();
        if (!/^-?\d+$/.test(v)) {
          this.store.dispatch({ type: 'prompt-error', message: 'type a version number, or -1 for none' });
          return;
        }
        const version = BigInt(v).toString();
        if (BigInt(version) < -1n) {
          this.store.dispatch({ type: 'prompt-error', message: 'the version must be -1 or more' });
          return;
        }
        this.store.dispatch({ type: 'prompt-close' });
        void this.requestPlan({ kind: 'force', version });
        return;
      }
      case 'confirm':
        this.confirm();
        return;
      case 'decline':
        this.shownPlan = undefined;
        this.store.dispatch({ type: 'plan-close' });
        this.log({ kind: 'info', text: 'Cancelled: nothing was run.' });
        return;
      case 'abort-planning':
        this.planToken++;
        this.store.dispatch({ type: 'plan-close' });
        this.log({ kind: 'info', text: 'Cancelled: nothing was run.' });
        return;
      case 'cancel-menu':
        this.store.dispatch({ type: 'cancel-menu', open: true });
        return;
      case 'cancel-now':
        this.chooseCancel('cancel-now');
        return;
      case 'refresh':
        this.log({ kind: 'info', text: 'Re-reading the folder and the database…' });
        void this.refresh({ listing: true, announce: true });
        return;
      case 'history-open':
        this.store.dispatch({ type: 'history-view', open: true });
        this.loadHistory();
        return;
      case 'quit':
        this.store.dispatch({ type: 'quit' });
        return;
      case 'say':
        this.log({ kind: 'info', text: cmd.text });
        return;
    }
  }

  /** Set-tracking tools: f acts on the selected row, in the tool's terms; on a failed row it shows the ways out. */
  private forceRow(): void {
    const s = this.store.getState();
    if (s.db.state?.dirty) return this.openRecovery();
    const row = selectedRow(s);
    if (!row) return this.log({ kind: 'info', text: 'No migration selected.' });
    void this.requestPlan({ kind: 'force', version: row.version });
  }

  private openForcePrompt(): void {
    const row = selectedRow(this.store.getState());
    const hint = row ? `selected: ${row.version}; -1 = no version` : '-1 = no version';
    this.store.dispatch({ type: 'prompt-open', hint });
  }

  /** Menu choice while a plan runs. */
  chooseCancel = (choice: CancelChoice): void => {
    const s = this.store.getState();
    if (!s.run || !this.control) {
      this.store.dispatch({ type: 'cancel-menu', open: false });
      return;
    }
    if (choice === 'keep') {
      this.store.dispatch({ type: 'cancel-menu', open: false });
      return;
    }
    this.control.stopRequested = true;
    if (choice === 'stop') {
      this.store.dispatch({ type: 'run-stop-requested' });
      this.log({ kind: 'warning', text: 'Stopping after the running step; the rest will not run.' });
      return;
    }
    this.store.dispatch({ type: 'run-cancel-sent' });
    this.log({ kind: 'warning', text: 'Cancelling the running statement (pg_cancel_backend)…' });
    this.project.session.cancelRunningStatement().then(
      (ok) => {
        if (!ok) this.log({ kind: 'info', text: 'No statement was running to cancel; stopping after this step.' });
      },
      (err) => this.log({ kind: 'error', text: `Could not cancel: ${errText(err)}` }),
    );
  };

  /** Opens the dirty-database guide and asks the engine what happened (as "ladder recover" does). */
  private openRecovery(): void {
    if (this.perRow) return this.openLedgerGuide();
    const journal = this.project.journal;
    if (!this.project.guidedRecovery || !journal) return;
    this.store.dispatch({ type: 'recovery', open: true });
    const token = ++this.recoveryToken;
    const found = this.monitor.use(async (db) => {
      const state = await this.project.readState(db);
      if (!state.dirty) return null;
      const { diagnose } = await import('../engine/diagnose.js');
      return diagnose(db, this.project.listing, state, await journal.list(db, 20));
    }, 15_000);
    found.then(
      (diagnosis) => {
        if (token === this.recoveryToken && !this.disposed)
          this.store.dispatch({ type: 'recovery-diagnosis', diagnosis, error: diagnosis ? null : 'the database is no longer dirty' });
      },
      (err) => {
        if (token === this.recoveryToken && !this.disposed) this.store.dispatch({ type: 'recovery-diagnosis', diagnosis: null, error: errText(err) });
      },
    );
  }

  /**
   * Set-tracking tools: the failed row, in the tool's words, and the ways out (the tool's repair, or
   * force: record it done), each made by the project's planner and shown as a plan before it runs.
   */
  private openLedgerGuide(): void {
    const s = this.store.getState();
    const state = s.db.state;
    const row = s.items.find((r) => r.state === 'dirty');
    if (!state || !row) {
      this.log({ kind: 'info', text: `No migration has failed: ${this.project.tracking.table} has no failed row.` });
      return;
    }
    const tool = s.info.tool ?? s.info.format;
    const table = this.project.tracking.table;
    const ways: LedgerWayOut[] = [];
    const repair = this.project.plan(state, { kind: 'repair' });
    if (repair.ok) {
      const steps = repair.plan.steps.flatMap((st) => (st.kind === 'record' ? [st] : []));
      const mine = steps.find((st) => st.version === row.version) ?? steps[0];
      const more = steps.length - 1;
      if (mine)
        ways.push({
          label: `Repair: ${mine.text}${more > 0 ? ` (and ${more} more repair${more === 1 ? '' : 's'}, listed in the plan)` : ''}`,
          consequence: `Runs no migration SQL. ${row.version} is pending again afterwards: fix what it left in the schema (or the file), then u runs it again.`,
          intent: { kind: 'repair' },
        });
    }
    if (s.byVersion.has(row.version) && this.project.plan(state, { kind: 'force', version: row.version }).ok)
      ways.push({
        label: `Mark ${row.version} as done: record it applied without running it (force)`,
        consequence: `Only if its work is complete (you finished it by hand). This ${this.project.tracking.forceMeaning}.`,
        intent: { kind: 'force', version: row.version },
      });
    ways.push({
      label: 'Leave it for now (f brings this back)',
      consequence: `Changes nothing. ${tool} refuses to migrate while ${table} holds a failed row.`,
      intent: null,
    });
    const guide: LedgerGuide = { key: row.version, name: row.name, label: row.label ?? 'failed', problems: row.problems, ways };
    // Behind the panel, the list shows the failed row: that is where it is when the panel closes.
    this.store.dispatch({ type: 'select-version', version: row.version });
    this.store.dispatch({ type: 'recovery', open: true, shownFor: row.version, ledger: guide });
  }

  /** The failed version or row the recovery guide is about (it opens by itself once per failure). */
  private dirtyKey(s: UiState): string | null {
    const state = s.db.state;
    if (!state?.dirty) return null;
    return this.perRow ? (s.items.find((r) => r.state === 'dirty')?.version ?? state.version) : state.version;
  }

  /** Reads the journal for the history view (on the monitor connection; the view shows it when it arrives). */
  private loadHistory(): void {
    // One read at a time; changes during a read ask for one more (a 10,000-step run stays cheap).
    if (this.historyLoading) {
      this.historyAgain = true;
      return;
    }
    this.historyLoading = true;
    const token = ++this.historyToken;
    const journal = this.opts.journal;
    const done = () => {
      this.historyLoading = false;
      if (this.historyAgain) {
        this.historyAgain = false;
        this.historyChanged();
      }
    };
    const projectJournal = this.project.journal;
    if (!projectJournal) {
      // The tool's own table is the record: the view lists its rows (from the state the TUI re-reads anyway).
      const s = this.store.getState();
      const tool = s.info.tool ?? this.project.format;
      const none = `Ladder keeps no journal of its own for ${tool} projects: ${this.project.tracking.table} is ${tool}'s record, newest first.`;
      this.store.dispatch({ type: 'history-loaded', entries: [], error: null, journal, none });
      done();
      return;
    }
    this.monitor.use((db) => projectJournal.list(db, 500), 15_000).then(
      (entries) => {
        if (token === this.historyToken && !this.disposed) this.store.dispatch({ type: 'history-loaded', entries, error: null, journal });
        done();
      },
      (err) => {
        if (token === this.historyToken && !this.disposed) this.store.dispatch({ type: 'history-loaded', entries: [], error: errText(err), journal });
        done();
      },
    );
  }

  /** The history view follows what happens while it is open. */
  private historyChanged(): void {
    if (!this.disposed && this.store.getState().mode === 'history') this.loadHistory();
  }

  highlightRecovery = (index: number): void => {
    this.store.dispatch({ type: 'recovery-highlight', index });
  };

  /** Menu choice in the dirty-database guide: every way out shows its plan and asks y/N. */
  chooseRecovery = (index: number): void => {
    const s = this.store.getState();
    const ledger = s.recovery.ledger;
    if (ledger) {
      const way = ledger.ways[index];
      this.store.dispatch({ type: 'recovery', open: false });
      if (way?.intent) void this.requestPlan(way.intent);
      return;
    }
    const item = recoveryItems(s)[index];
    this.store.dispatch({ type: 'recovery', open: false });
    if (!item) return;
    const c = item.choice;
    if (c.kind === 'force') void this.requestPlan({ kind: 'force', version: c.version });
    else if (c.kind === 'type') this.openForcePrompt();
    else if (c.kind === 'option') {
      const diag = s.recovery.diagnosis;
      const option = diag?.candidates[c.candidate]?.options[c.option];
      if (!diag || !option || option.id === 'leave' || option.steps.length === 0) return;
      const p = recoveryPlan(diag.state, option as RecoveryOption & { id: 'retry' | 'mark-done' | 'undo' });
      void this.showPlan(p, option.warning ? `! ${option.warning}` : null);
    }
  };

  private async showPlan(p: Plan, warning: string | null): Promise<void> {
    const token = ++this.planToken;
    this.store.dispatch({ type: 'planning', label: planName(p) });
    try {
      const view = await this.planView(p, warning);
      if (token !== this.planToken) return;
      this.shownPlan = p;
      this.store.dispatch({ type: 'plan-ready', plan: view });
    } catch (err) {
      if (token !== this.planToken) return;
      this.store.dispatch({ type: 'plan-close' });
      this.log({ kind: 'error', text: `Could not make a plan: ${errText(err)}` });
    }
  }

  // ---------------------------------------------------------------- plans

  private async requestPlan(intent: Intent, warning: string | null = null): Promise<void> {
    if (this.running) return;
    const token = ++this.planToken;
    this.store.dispatch({ type: 'planning', label: describeIntent(intent) });
    try {
      const state = await this.readStateNow();
      if (token !== this.planToken) return;
      const result = this.project.plan(state, intent);
      if (!result.ok) {
        this.store.dispatch({ type: 'plan-close' });
        this.logRefusal(intent, result.refusal, state);
        return;
      }
      const view = await this.planView(result.plan, warning);
      if (token !== this.planToken) return;
      this.shownPlan = result.plan;
      this.store.dispatch({ type: 'plan-ready', plan: view });
    } catch (err) {
      if (token !== this.planToken) return;
      this.store.dispatch({ type: 'plan-close' });
      this.log({ kind: 'error', text: `Could not make a plan: ${errText(err)}` });
    }
  }

  private logRefusal(intent: Intent, refusal: Refusal, state: DbState): void {
    const text = refusalText(refusal);
    if (refusal.kind === 'no-change') {
      this.log({ kind: 'info', text: `${describeIntent(intent)}: ${noChangeText(intent, state)}` });
      return;
    }
    // A refusal is read, not skimmed: wrapped to the log's width (Flyway's validation lists each problem on its own line).
    const width = Math.max(20, this.store.getState().cols - 2);
    const [first = '', ...rest] = text.message.split('\n').filter((l) => l.trim() !== '');
    for (const l of wrapLines(`${describeIntent(intent)}: ${first}`, width, 6)) this.log({ kind: 'error', text: l });
    for (const r of rest) for (const l of wrapLines(`  ${r}`, width, 4)) this.log({ kind: 'error', text: l });
    if (text.hint) for (const l of wrapLines(keyHints(text.hint), width, 6)) this.log({ kind: 'hint', text: l });
  }

  private planView(p: Plan, warning: string | null): Promise<PlanView> {
    const s = this.store.getState();
    return buildPlanView(
      p,
      {
        load: (path) => this.docs.load(path),
        section: (path, direction, sql) => this.docs.loadSection(sectionKey(path, direction), path, sql),
        tracking: this.project.tracking,
        listing: this.project.listing,
        databaseName: this.project.database,
        tool: s.info.tool ?? this.project.format,
        perRow: this.perRow,
      },
      warning,
    );
  }

  private confirm(): void {
    const s = this.store.getState();
    const view = s.plan;
    const p = this.shownPlan;
    if (!view || !p || this.running) return;
    if (view.confirm.kind === 'name' && s.confirmInput !== view.confirm.expected) {
      this.store.dispatch({ type: 'confirm-error', message: `that is not "${view.confirm.expected}"` });
      return;
    }
    this.shownPlan = undefined;
    this.running = this.run(p, view).finally(() => (this.running = undefined));
  }

  // ---------------------------------------------------------------- running

  private async run(confirmed: Plan, view: PlanView): Promise<void> {
    const { project } = this;
    const control: RunControl = { stopRequested: false };
    this.control = control;
    const labels = confirmed.steps.map(stepText);
    const started = this.opts.now();
    this.progress = { started: false, index: 0, stepStartedAt: started, completed: 0, results: [], dirty: false };
    this.store.dispatch({ type: 'run-start', title: planName(confirmed), labels, now: started });
    this.store.dispatch({ type: 'failure', failure: null });
    this.tickTimer = setInterval(() => this.flush(), this.opts.flushMs);
    this.log({ kind: 'action', text: `▶ ${planName(confirmed)}: ${labels.length} step${labels.length === 1 ? '' : 's'} on ${project.database}` });
    let locked = false;
    let reshow: Plan | undefined;
    let outcome: RunOutcome | undefined;
    try {
      const got = await project.session.lock(project.tracking.lockId, this.opts.lockTimeoutMs, (h) => {
        const who = h ? describeHolder(h) : 'another session';
        this.store.dispatch({ type: 'run-lock-wait', holder: who });
        this.log({ kind: 'warning', text: `Waiting up to ${this.opts.lockTimeoutMs / 1000}s for the migration lock held by ${who}…` });
      });
      this.store.dispatch({ type: 'run-lock-wait', holder: null });
      if (!got) {
        this.log({ kind: 'error', text: `timeout: can't acquire the migration lock within ${this.opts.lockTimeoutMs / 1000}s (another migration is probably running). Nothing was changed.` });
        return;
      }
      locked = true;
      if (control.stopRequested) {
        this.log({ kind: 'info', text: 'Cancelled before the first step: nothing was run.' });
        return;
      }
      await project.ensureTable();
      // Plan again under the lock: another tool may have moved the database since the plan was shown.
      const state = await project.readState();
      if (confirmed.recover) {
        // A way out is only right for the dirty state it was chosen for.
        if (state.version !== confirmed.from.version || state.dirty !== confirmed.from.dirty) {
          this.log({ kind: 'warning', text: `The database changed while you were choosing (it ${where(state.version)}${state.dirty ? ', dirty' : ''}); nothing was run.` });
          return;
        }
        outcome = await project.run(confirmed, this.runOptions(control));
        this.report(outcome, confirmed, started);
        return;
      }
      const fresh = project.plan(state, confirmed.intent);
      if (!fresh.ok) {
        this.log({ kind: 'warning', text: `The database changed since the plan was shown (it ${where(state.version)}${state.dirty ? ', dirty' : ''}); nothing was run.` });
        this.logRefusal(confirmed.intent, fresh.refusal, state);
        return;
      }
      if (planSignature(fresh.plan) !== view.signature) {
        this.log({ kind: 'warning', text: `The database moved to ${versionText(state.version)} since the plan was shown; nothing was run. Review the new plan.` });
        reshow = fresh.plan;
        return;
      }
      outcome = await project.run(fresh.plan, this.runOptions(control));
      this.report(outcome, fresh.plan, started);
    } catch (err) {
      this.log({ kind: 'error', text: `The run stopped with an error: ${errText(err)}` });
    } finally {
      if (locked) await project.session.unlock();
      clearInterval(this.tickTimer);
      this.tickTimer = undefined;
      this.control = undefined;
      this.progress = undefined;
      this.liveState = undefined;
      if (!this.disposed) {
        // Show the truth, not what we expect: re-read the database. The summary appears with the normal
        // screen, when keys work again.
        await this.refresh({ listing: false, force: true });
        this.store.dispatch({ type: 'run-end' });
        this.historyChanged();
        this.flush();
        if (reshow) {
          this.shownPlan = reshow;
          this.store.dispatch({ type: 'plan-ready', plan: await this.planView(reshow, 'The database moved since the last plan; this is the new one.') });
        } else if (this.store.getState().db.state?.dirty) this.openRecovery();
      }
    }
  }

  private runOptions(control: RunControl): ProjectRunOptions {
    return { journal: this.opts.journal, control, emit: (e) => this.onRunEvent(e) };
  }

  private onRunEvent(e: RunEvent): void {
    const p = this.progress;
    const now = this.opts.now();
    switch (e.type) {
      case 'step-start':
        if (p) {
          p.started = true;
          p.index = e.index;
          p.stepStartedAt = now;
          p.dirty = true;
        }
        this.historyChanged();
        break;
      case 'notice':
        this.log(noticeEntry(e.notice));
        return;
      case 'step-done': {
        const text = `${stepText(e.step)} (${goDuration(e.durationNs)})`;
        this.log({ kind: 'step', text });
        if (p) {
          p.completed++;
          p.index = e.index + 1;
          p.results.push({ index: e.index, ok: true, text });
          p.dirty = true;
        }
        if (this.perRow) this.liveWanted = true;
        else if (e.step.kind === 'migrate') this.liveState = { version: e.step.target, dirty: false };
        else if (e.step.kind === 'force') this.liveState = { version: e.step.version, dirty: false };
        this.historyChanged();
        break;
      }
      case 'step-failed': {
        const where = e.error.line ? ` (line ${e.error.line}${e.error.column ? `, column ${e.error.column}` : ''})` : '';
        const text = `${stepLabel(e.step)} failed after ${goDuration(e.durationNs)}: ${e.error.message}${where}`;
        this.log({ kind: 'error', text });
        if (e.error.detail) this.log({ kind: 'hint', text: `detail: ${e.error.detail}` });
        if (e.error.hint) this.log({ kind: 'hint', text: `PostgreSQL hint: ${e.error.hint}` });
        if (e.error.cancelled) this.log({ kind: 'warning', text: 'The running statement was cancelled on request.' });
        if (e.error.connectionLost) this.log({ kind: 'error', text: 'The connection to PostgreSQL was lost during the migration.' });
        if (p) {
          p.results.push({ index: e.index, ok: false, text });
          p.dirty = true;
        }
        if (this.perRow) this.liveWanted = true;
        else this.liveState = { version: e.step.target, dirty: true };
        this.store.dispatch({
          type: 'failure',
          failure: { direction: e.step.direction, version: e.step.version, target: e.step.target, message: e.error.message },
        });
        this.historyChanged();
        break;
      }
      case 'stopped':
        this.log({ kind: 'warning', text: `Stopped on request after ${e.completed} step${e.completed === 1 ? '' : 's'}; ${e.remaining} not run.` });
        break;
      default:
        break;
    }
    this.scheduleFlush();
  }

  private report(outcome: RunOutcome, p: Plan, started: number): void {
    const secs = ((this.opts.now() - started) / 1000).toFixed(2);
    const v = outcome.state.version;
    if (outcome.status === 'ok')
      this.log({ kind: 'ok', text: `✓ ${planName(p)}: ${outcome.completed} step${outcome.completed === 1 ? '' : 's'} done in ${secs}s; the database ${where(v)}.` });
    else if (outcome.status === 'stopped')
      this.log({ kind: 'warning', text: `■ Stopped after ${outcome.completed} of ${p.steps.length} steps; the database is clean and ${where(v)}.` });
    else {
      const file = outcome.step.file?.path;
      if (file) this.log({ kind: 'hint', text: `file: ${file}${outcome.error.line ? `:${outcome.error.line}` : ''}` });
      if (this.perRow) this.reportLedgerFailure(outcome);
      else this.log({ kind: 'error', text: `✗ The database is dirty at ${versionText(v)}. Nothing else runs until it is resolved: f opens the recovery guide.` });
    }
  }

  /** What a failed step left, for a tool that writes its row with the step (or a failed row): the truth, re-read. */
  private reportLedgerFailure(outcome: Extract<RunOutcome, { status: 'failed' }>): void {
    const step = outcome.step;
    const table = this.project.tracking.table;
    const tool = this.store.getState().info.tool ?? this.project.format;
    const row = outcome.state.applied?.find((r) => r.key === step.version);
    if (row && !row.success) {
      this.log({ kind: 'error', text: `✗ ${step.direction} ${step.version} failed and ${table} marks it failed: ${tool} refuses to migrate until that is resolved: f shows the ways out.` });
      return;
    }
    const noTx = step.file?.transaction === false;
    const kept = noTx
      ? 'It ran without a transaction, so what ran before the error is still in the schema: undo or finish that by hand,'
      : 'Its transaction rolled back, so nothing of it remains:';
    const state = step.direction === 'up' ? `${step.version} is still pending` : `${step.version} is still applied`;
    this.log({ kind: 'error', text: `✗ ${step.direction} ${step.version} failed; ${state} (${table} ${step.direction === 'up' ? 'has no row for it' : 'keeps its row'}).` });
    this.log({ kind: 'hint', text: `${kept} fix the file, then ${step.direction === 'up' ? 'u' : 'd'} runs it again.` });
  }

  // ---------------------------------------------------------------- flushing (ring buffer -> state)

  private scheduleFlush(): void {
    if (this.flushTimer || this.tickTimer) return; // the run's ticker flushes anyway
    const wait = Math.max(0, this.lastFlush + this.opts.flushMs - this.opts.now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, wait);
  }

  /** Copies what accumulated (log lines, run progress, live version) into state: one dispatch each, at most every flushMs. */
  private flush(): void {
    this.lastFlush = this.opts.now();
    if (this.disposed) return;
    if (this.liveWanted && !this.liveReading) this.liveRead();
    if (this.logDirty) {
      this.logDirty = false;
      this.store.dispatch({ type: 'log', lines: this.ring.last(LOG_IN_STATE), total: this.ring.total });
    }
    const p = this.progress;
    if (p && p.dirty) {
      p.dirty = false;
      this.store.dispatch({ type: 'run-progress', started: p.started, index: p.index, stepStartedAt: p.stepStartedAt, completed: p.completed, results: p.results, now: this.lastFlush });
      p.results = [];
    } else if (this.tickTimer) this.store.dispatch({ type: 'tick', now: this.lastFlush });
    if (this.liveState) {
      const st = this.liveState;
      this.liveState = undefined;
      this.store.dispatch({ type: 'db-state', state: st, lockHolder: null });
    }
  }

  // ---------------------------------------------------------------- database and folder

  /** Re-reads the tool's rows during a run (its steps write them), so the markers follow the run. */
  private liveRead(): void {
    this.liveWanted = false;
    this.liveReading = true;
    this.monitor.readState().then(
      (state) => {
        this.liveReading = false;
        if (!this.disposed && this.running) this.store.dispatch({ type: 'db-state', state, lockHolder: null });
      },
      () => {
        this.liveReading = false;
      },
    );
  }

  private async readStateNow(): Promise<DbState> {
    await this.refreshing?.catch(() => undefined);
    const state = await this.monitor.readState();
    this.store.dispatch({ type: 'db-state', state, lockHolder: this.store.getState().db.lockHolder });
    return state;
  }

  /** Re-reads the database (and the folder when asked) on the monitor connection. */
  refresh(o: { listing: boolean; announce?: boolean; force?: boolean }): Promise<void> {
    if (this.refreshing && !o.force) return this.refreshing;
    const prev = this.refreshing ?? Promise.resolve();
    const job = prev
      .catch(() => undefined)
      .then(async () => {
        if (this.disposed) return;
        if (o.listing) await this.reloadListing();
        try {
          const { state, lockHolder } = await this.monitor.read();
          if (this.disposed) return;
          this.store.dispatch({ type: 'db-state', state, lockHolder });
          this.historyChanged();
          if (o.announce)
            this.log({
              kind: 'info',
              text: `The database ${where(state.version)}${state.dirty ? (this.perRow ? ' (a migration is marked failed)' : ' (dirty)') : ''}; ${this.project.listing.migrations.length} migrations in the folder.`,
            });
          const s = this.store.getState();
          if (state.dirty && s.mode === 'normal' && s.recoveryShownFor !== this.dirtyKey(s)) this.openRecovery();
        } catch (err) {
          if (!this.disposed) this.store.dispatch({ type: 'db-error', message: errText(err) });
        }
      });
    const tracked = job.finally(() => {
      if (this.refreshing === tracked) this.refreshing = undefined;
    });
    this.refreshing = tracked;
    return tracked;
  }

  private async reloadListing(): Promise<void> {
    try {
      const listing = await this.project.reloadListing();
      if (this.disposed) return;
      this.store.dispatch({ type: 'listing', listing });
    } catch (err) {
      this.log({ kind: 'error', text: `Could not read the migrations folder: ${errText(err)}` });
    }
  }

  private startWatch(): void {
    const dir = this.project.listing.dir;
    this.watcher = watchFolder(
      dir,
      (changed) => void this.onFolderChanged(changed),
      (err) => {
        this.pollListing = true;
        this.log({ kind: 'warning', text: `Not watching ${dir} (${errText(err)}); the folder is re-read every few seconds instead.` });
      },
    );
  }

  private async onFolderChanged(changed: (string | null)[]): Promise<void> {
    if (this.disposed) return;
    const all = changed.includes(null);
    if (all) this.docs.invalidate();
    else for (const f of changed) if (f) this.docs.invalidate(f);
    await this.reloadListing();
    const { want, path } = this.store.getState().preview;
    if (want && (all || changed.includes(path))) {
      this.requested = null;
      this.store.dispatch({ type: 'preview-stale', path: want });
    }
  }

  // ---------------------------------------------------------------- preview loading

  /** Runs synchronously after every state change: loads the file the preview now wants. */
  private afterDispatch(next: UiState): void {
    const p = next.preview;
    if (p.want === null) this.requested = null;
    else if (!p.doc && p.status !== 'error' && this.requested !== p.want) {
      if (p.sql !== undefined && p.path !== null) this.loadSection(p.want, p.path, p.sql);
      else this.loadPreview(p.want);
    }
  }

  /** The part of a file the tool runs (dbmate's up or down section): from the listing's text, numbered as in the file. */
  private loadSection(key: string, path: string, sql: string): void {
    this.requested = key;
    const { doc } = this.docs.sectionSync(key, path, sql);
    if (doc) {
      this.requested = null;
      this.store.dispatch({ type: 'preview-loaded', path: key, doc });
      return;
    }
    this.store.dispatch({ type: 'preview-loading', path: key });
    this.docs.loadSection(key, path, sql).then(
      (d) => {
        if (this.requested !== key) return;
        this.requested = null;
        this.store.dispatch({ type: 'preview-loaded', path: key, doc: d });
      },
      (err) => {
        if (this.requested !== key) return;
        this.requested = null;
        this.store.dispatch({ type: 'preview-error', path: key, message: errText(err) });
      },
    );
  }

  private loadPreview(path: string): void {
    this.requested = path;
    const { doc, size } = this.docs.getSync(path);
    if (doc) {
      this.requested = null;
      this.store.dispatch({ type: 'preview-loaded', path, doc });
      return;
    }
    this.store.dispatch({ type: 'preview-loading', path });
    // A big file: show its first part at once, then all of it.
    if (size !== undefined && size > HEAD_BYTES)
      this.docs.loadHead(path).then(
        (head) => {
          if (this.requested === path) this.store.dispatch({ type: 'preview-loaded', path, doc: head });
        },
        () => undefined, // load() below reports errors
      );
    this.docs.load(path).then(
      (d) => {
        if (this.requested !== path) return;
        this.requested = null;
        this.store.dispatch({ type: 'preview-loaded', path, doc: d });
      },
      (err) => {
        if (this.requested !== path) return;
        this.requested = null;
        this.store.dispatch({ type: 'preview-error', path, message: errText(err) });
      },
    );
  }
}


/** "no change", said for what was asked. */
function noChangeText(intent: Intent, state: DbState): string {
  switch (intent.kind) {
    case 'force':
      return `no change: ${intent.version} is already recorded as applied.`;
    case 'forget':
      return `no change: ${intent.version} is not recorded as applied.`;
    case 'repair':
      return 'nothing to repair: no failed rows, no changed checksums, no rows without files.';
    default:
      return `no change (the database ${where(state.version)}).`;
  }
}

/** The engine's hints name commands ("ladder force 3", "repair", "forget 1.1"); in the TUI they are keys. */
function keyHints(hint: string): string {
  return hint
    .replace(/"ladder (force [^"]+)"/g, '$1 (f)')
    .replace(/"ladder status"/g, 'the list')
    .replace(/"repair"/g, 'repair (R)')
    .replace(/"force ([^"]+)"/g, 'force $1 (f on its row)')
    .replace(/"forget ([^"]+)"/g, 'forget $1 (F on its row)')
    .replace(/\bforce V or forget V\b/g, 'force (f) or forget (F) on its row')
    .replace(/\(forget\)/g, '(F: forget)');
}
