import { requireNeverRun } from '../../engine/never-run.js';
import { describeHolder } from '../../db/session.js';
import type { RunEvent, RunOutcome } from '../../engine/events.js';
import type { Intent, Plan, Step } from '../../engine/plan.js';
import type { SqlDocument } from '../sql-document.js';
import { splitStatements } from '../../db/statements.js';
import type { ProjectRunOptions } from '../../engine/project.js';
import type { RunControl } from '../../engine/run.js';
import { noticeEntry, type LogEntry } from '../log-lines.js';
import { planName, planSignature, stepText } from '../plan-view.js';
import type { PlanView, StepPause } from '../state.js';
import { errText, versionText, where } from '../text.js';

import type { BufferedFeed } from './buffered-feed.js';
import type { ControllerContext } from './context.js';
import type { DbRefresh } from './db-refresh.js';
import type { HistoryLoader } from './history-loader.js';
import type { Planner } from './planner.js';
import { outcomeEntries, stepDoneText, stepFailedEntries, stepFailedText, stoppedText } from './run-log.js';

export type CancelChoice = 'stop' | 'cancel-now' | 'keep';

/** Step mode: the plan the user confirmed, and how many of its steps have run. */
interface Stepping {
  plan: Plan;
  view: PlanView;
  done: number;
  /** Notices of the running step, for the pause after it. */
  notices: string[];
  last?: { step: Step; label: string; ok: boolean; durationMs: number };
}

/** The intent that plans the rest of a plan once `done` of its steps have run (up 3 after one step is up 2). */
function restIntent(intent: Intent, done: number): Intent {
  if ((intent.kind === 'up' || intent.kind === 'down') && intent.limit !== undefined) return { ...intent, limit: Math.max(1, intent.limit - done) };
  return intent;
}

function stepVersions(step: Step): { version: string; target: string } {
  if (step.kind === 'migrate') return { version: step.version, target: step.target };
  if (step.kind === 'force' || step.kind === 'record') return { version: step.version, target: step.version };
  return { version: '', target: '' };
}

/** Runs a confirmed plan under the migration lock, feeds its events to the log and the run panel, and cancels it on request. */
export class PlanRunner {
  private control: RunControl | undefined;
  private running: Promise<void> | undefined;
  private stepping: Stepping | undefined;
  /** The run's summary, logged once the normal screen is back (a key pressed on reading it then works). */
  private summary: LogEntry[] = [];
  private steps: Step[] = [];

  constructor(
    private readonly ctx: ControllerContext,
    private readonly feed: BufferedFeed,
    private readonly db: DbRefresh,
    private readonly planner: Planner,
    private readonly history: HistoryLoader,
    private readonly openRecovery: () => void,
    private readonly loadStepDoc: (step: Step) => Promise<SqlDocument | null>,
  ) {}

  isRunning(): boolean {
    return this.running !== undefined;
  }

  start(p: Plan, view: PlanView, stepMode = false): void {
    this.stepping = stepMode && !p.recover && p.steps.length > 1 ? { plan: p, view, done: 0, notices: [] } : undefined;
    this.running = this.run(p, view, 0).finally(() => (this.running = undefined));
  }

  /** Work that holds the migration lock on the project's session (a dry run, a baseline): no plan starts meanwhile. */
  exclusive(task: () => Promise<void>): void {
    if (this.running) return;
    this.running = task()
      .catch((err) => this.ctx.log({ kind: 'error', text: errText(err) }))
      .finally(() => (this.running = undefined));
  }

  isPaused(): boolean {
    return this.stepping !== undefined && !this.running;
  }

  /** Step mode, paused: run the next step (continueAll: every step left), re-planned under the lock first. */
  resume(continueAll: boolean): void {
    const st = this.stepping;
    if (!st || this.running) return;
    const rest: Plan = { ...st.plan, intent: restIntent(st.plan.intent, st.done), steps: st.plan.steps.slice(st.done) };
    const view: PlanView = { ...st.view, signature: planSignature(rest) };
    const offset = st.done;
    if (continueAll) this.stepping = undefined;
    this.ctx.store.dispatch({ type: 'pause', pause: null });
    this.running = this.run(rest, view, offset).finally(() => (this.running = undefined));
  }

  /** Step mode, paused: stop here. Nothing is locked; the database is where the last step left it. */
  stopStepping(): void {
    const st = this.stepping;
    if (!st || this.running) return;
    this.stepping = undefined;
    const s = this.ctx.store.getState();
    this.ctx.store.dispatch({ type: 'pause', pause: null });
    this.ctx.log({ kind: 'ok', text: `Stopped after ${st.done} of ${st.plan.steps.length} steps (step mode): the database ${s.pause?.where ?? 'is as the last step left it'}; ${st.plan.steps.length - st.done} did not run, nothing is locked.` });
  }

  /** Menu choice while a plan runs. */
  chooseCancel(choice: CancelChoice): void {
    const { store } = this.ctx;
    const s = store.getState();
    if (!s.run || !this.control) {
      store.dispatch({ type: 'cancel-menu', open: false });
      return;
    }
    if (choice === 'keep') {
      store.dispatch({ type: 'cancel-menu', open: false });
      return;
    }
    this.control.stopRequested = true;
    if (choice === 'stop') {
      store.dispatch({ type: 'run-stop-requested' });
      this.ctx.log({ kind: 'warning', text: 'Stopping after the running step; the rest will not run.' });
      return;
    }
    store.dispatch({ type: 'run-cancel-sent' });
    this.ctx.log({ kind: 'warning', text: 'Cancelling the running statement (pg_cancel_backend)…' });
    this.ctx.project.session.cancelRunningStatement().then(
      (ok) => {
        if (!ok) this.ctx.log({ kind: 'info', text: 'No statement was running to cancel; stopping after this step.' });
      },
      (err) => this.ctx.log({ kind: 'error', text: `Could not cancel: ${errText(err)}` }),
    );
  }

  /** Asks a running plan to stop after its step, and waits for it. */
  async dispose(): Promise<void> {
    if (this.control) this.control.stopRequested = true;
    await this.running?.catch(() => undefined);
  }

  private async run(confirmed: Plan, view: PlanView, offset: number): Promise<void> {
    const { project, store, settings } = this.ctx;
    const control: RunControl = { stopRequested: false };
    this.control = control;
    this.steps = confirmed.steps;
    const labels = confirmed.steps.map(stepText);
    const started = settings.now();
    const vt = confirmed.steps.map(stepVersions);
    store.dispatch({
      type: 'run-start',
      title: planName(confirmed),
      labels,
      versions: vt.map((x) => x.version),
      targets: vt.map((x) => x.target),
      now: started,
      stepMode: this.stepping !== undefined,
      offset,
    });
    store.dispatch({ type: 'failure', failure: null });
    this.feed.runStarted(started);
    this.ctx.log({ kind: 'action', text: `▶ ${planName(confirmed)}: ${labels.length} step${labels.length === 1 ? '' : 's'} on ${project.database}` });
    let locked = false;
    let reshow: Plan | undefined;
    let outcome: RunOutcome | undefined;
    try {
      const got = await project.session.lock(project.tracking.lockId, settings.lockTimeoutMs, (h) => {
        const who = h ? describeHolder(h) : 'another session';
        store.dispatch({ type: 'run-lock-wait', holder: who });
        this.ctx.log({ kind: 'warning', text: `Waiting up to ${settings.lockTimeoutMs / 1000}s for the migration lock held by ${who}…` });
      });
      store.dispatch({ type: 'run-lock-wait', holder: null });
      if (!got) {
        this.ctx.log({ kind: 'error', text: `timeout: can't acquire the migration lock within ${settings.lockTimeoutMs / 1000}s (another migration is probably running). Nothing was changed.` });
        return;
      }
      locked = true;
      if (control.stopRequested) {
        this.ctx.log({ kind: 'info', text: 'Cancelled before the first step: nothing was run.' });
        return;
      }
      await project.ensureTable();
      // Plan again under the lock: another tool may have moved the database since the plan was shown.
      const state = await project.readState();
      if (confirmed.recover) {
        // A way out is only right for the dirty state it was chosen for.
        if (state.version !== confirmed.from.version || state.dirty !== confirmed.from.dirty) {
          this.ctx.log({ kind: 'warning', text: `The database changed while you were choosing (it ${where(state.version)}${state.dirty ? ', dirty' : ''}); nothing was run.` });
          return;
        }
        outcome = await project.run(confirmed, this.runOptions(control));
        this.report(outcome, confirmed, started);
        return;
      }
      const fresh = project.plan(state, confirmed.intent);
      if (!fresh.ok) {
        this.ctx.log({ kind: 'warning', text: `The database changed since the plan was shown (it ${where(state.version)}${state.dirty ? ', dirty' : ''}); nothing was run.` });
        this.planner.logRefusal(confirmed.intent, fresh.refusal, state);
        return;
      }
      if (planSignature(fresh.plan) !== view.signature) {
        this.ctx.log({ kind: 'warning', text: `The database moved to ${versionText(state.version)} since the plan was shown; nothing was run. Review the new plan.` });
        reshow = fresh.plan;
        return;
      }
      if (fresh.plan.intent.kind === 'never-run') await requireNeverRun(project, state, fresh.plan.intent.version);
      outcome = await project.run(fresh.plan, this.runOptions(control));
      if (!(this.stepping && outcome.status === 'stopped')) this.report(outcome, fresh.plan, started);
    } catch (err) {
      this.ctx.log({ kind: 'error', text: `The run stopped with an error: ${errText(err)}` });
    } finally {
      if (locked) await project.session.unlock();
      this.feed.runEnded();
      this.control = undefined;
      if (!this.ctx.isDisposed()) {
        // Show the truth, not what we expect: re-read the database. The summary appears with the normal
        // screen, when keys work again.
        await this.db.refresh({ listing: false, force: true });
        store.dispatch({ type: 'run-end' });
        for (const entry of this.summary.splice(0)) this.ctx.log(entry);
        this.history.changed();
        this.feed.flush();
        if (this.stepping) this.pauseOrFinish(outcome);
        if (reshow) await this.planner.reshow(reshow, 'The database moved since the last plan; this is the new one.');
        else if (store.getState().db.state?.dirty || outcome?.status === 'failed') this.openRecovery();
      }
    }
  }

  /** The running step's statements (libpg-query spans) for the run panel; PostgreSQL runs the file as one query. */
  private showStatements(index: number, step: Step): void {
    this.loadStepDoc(step).then(
      async (doc) => {
        let spans: [number, number][] | null = null;
        if (doc) {
          const text = Array.from({ length: doc.lineCount }, (_, i) => doc.line(i)).join('\n');
          const split = await splitStatements(text).catch(() => undefined);
          if (split?.ok) spans = split.statements.map((st) => [st.startLine - 1, st.endLine - 1]);
        }
        if (this.ctx.store.getState().run) this.ctx.store.dispatch({ type: 'run-sql', sql: { index, doc, spans } });
      },
      () => undefined,
    );
  }

  /** Step mode after a run of one step: pause on its result, or end when it was the last (or it failed). */
  private pauseOrFinish(outcome: RunOutcome | undefined): void {
    const st = this.stepping!;
    const { store, project } = this.ctx;
    const state = store.getState().db.state;
    if (!outcome || outcome.status === 'failed' || st.done >= st.plan.steps.length || !st.last) {
      this.stepping = undefined;
      return;
    }
    const whereText = state ? `${where(state.version)}${state.dirty ? ', dirty' : ', clean'}` : 'is as the last step left it';
    let row: string;
    if (!state) row = 'not read';
    else if (state.applied) {
      const step = st.last.step;
      const key = step && step.kind !== 'drop' ? stepVersions(step).version : '';
      const r = state.applied.find((a) => a.key === key);
      row = r ? `${project.tracking.table}: row ${r.key}${r.success === false ? ' (failed)' : ''}${r.checksum !== undefined && r.checksum !== null ? `, checksum ${r.checksum}` : ''}` : `${project.tracking.table}: no row for ${key}`;
    } else row = `${project.tracking.table}: version ${state.version}, dirty ${state.dirty}`;
    const pause: StepPause = {
      title: planName(st.plan),
      labels: st.plan.steps.map(stepText),
      done: st.done,
      last: { label: st.last.label, ok: st.last.ok, durationMs: st.last.durationMs, notices: st.notices.slice(-50), row },
      where: whereText,
    };
    store.dispatch({ type: 'pause', pause });
    this.ctx.log({ kind: 'info', text: `Paused after step ${st.done} of ${st.plan.steps.length} (step mode): space or n runs the next, c the rest, s stops here. No lock is held.` });
  }

  private runOptions(control: RunControl): ProjectRunOptions {
    return { journal: this.ctx.settings.journal, control, emit: (e) => this.onRunEvent(e) };
  }

  private onRunEvent(e: RunEvent): void {
    switch (e.type) {
      case 'step-start':
        this.feed.stepStarted(e.index);
        this.history.changed();
        if (this.stepping && this.control) {
          this.stepping.notices = [];
          // Step mode: the engine finishes this step, commits its clean marker and stops before the next.
          this.control.stopRequested = true;
        }
        this.showStatements(e.index, e.step);
        break;
      case 'notice': {
        const entry = noticeEntry(e.notice);
        this.ctx.log(entry);
        this.stepping?.notices.push(entry.text);
        return;
      }
      case 'step-done': {
        const text = stepDoneText(e.step, e.durationNs);
        this.ctx.log({ kind: 'step', text });
        this.feed.stepDone(e.index, e.step, text);
        this.history.changed();
        if (this.stepping) {
          this.stepping.done++;
          this.stepping.last = { step: e.step, label: stepText(e.step), ok: true, durationMs: Number(e.durationNs / 1_000_000n) };
        }
        break;
      }
      case 'step-failed': {
        const text = stepFailedText(e);
        for (const entry of stepFailedEntries(e, text)) this.ctx.log(entry);
        this.feed.stepFailed(e.index, e.step.target, text);
        this.ctx.store.dispatch({
          type: 'failure',
          failure: { direction: e.step.direction, version: e.step.version, target: e.step.target, message: e.error.message },
        });
        this.history.changed();
        break;
      }
      case 'stopped':
        if (!this.stepping) this.ctx.log({ kind: 'warning', text: stoppedText(e.completed, e.remaining) });
        break;
      default:
        break;
    }
    this.feed.schedule();
  }

  private report(outcome: RunOutcome, p: Plan, started: number): void {
    const { project, store, settings, caps } = this.ctx;
    const secs = ((settings.now() - started) / 1000).toFixed(2);
    const ledger = { table: project.tracking.table, tool: store.getState().info.tool ?? project.format };
    this.summary = outcomeEntries(outcome, p, secs, caps, ledger);
  }
}
