import { describeHolder } from '../../db/session.js';
import type { RunEvent, RunOutcome } from '../../engine/events.js';
import type { Plan } from '../../engine/plan.js';
import type { ProjectRunOptions } from '../../engine/project.js';
import type { RunControl } from '../../engine/run.js';
import { noticeEntry } from '../log-lines.js';
import { planName, planSignature, stepText } from '../plan-view.js';
import type { PlanView } from '../state.js';
import { errText, versionText, where } from '../text.js';
import type { BufferedFeed } from './buffered-feed.js';
import type { ControllerContext } from './context.js';
import type { DbRefresh } from './db-refresh.js';
import type { HistoryLoader } from './history-loader.js';
import type { Planner } from './planner.js';
import { outcomeEntries, stepDoneText, stepFailedEntries, stepFailedText, stoppedText } from './run-log.js';

export type CancelChoice = 'stop' | 'cancel-now' | 'keep';

/** Runs a confirmed plan under the migration lock, feeds its events to the log and the run panel, and cancels it on request. */
export class PlanRunner {
  private control: RunControl | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly feed: BufferedFeed,
    private readonly db: DbRefresh,
    private readonly planner: Planner,
    private readonly history: HistoryLoader,
    private readonly openRecovery: () => void,
  ) {}

  isRunning(): boolean {
    return this.running !== undefined;
  }

  start(p: Plan, view: PlanView): void {
    this.running = this.run(p, view).finally(() => (this.running = undefined));
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

  private async run(confirmed: Plan, view: PlanView): Promise<void> {
    const { project, store, settings } = this.ctx;
    const control: RunControl = { stopRequested: false };
    this.control = control;
    const labels = confirmed.steps.map(stepText);
    const started = settings.now();
    store.dispatch({ type: 'run-start', title: planName(confirmed), labels, now: started });
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
      outcome = await project.run(fresh.plan, this.runOptions(control));
      this.report(outcome, fresh.plan, started);
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
        this.history.changed();
        this.feed.flush();
        if (reshow) await this.planner.reshow(reshow, 'The database moved since the last plan; this is the new one.');
        else if (store.getState().db.state?.dirty) this.openRecovery();
      }
    }
  }

  private runOptions(control: RunControl): ProjectRunOptions {
    return { journal: this.ctx.settings.journal, control, emit: (e) => this.onRunEvent(e) };
  }

  private onRunEvent(e: RunEvent): void {
    switch (e.type) {
      case 'step-start':
        this.feed.stepStarted(e.index);
        this.history.changed();
        break;
      case 'notice':
        this.ctx.log(noticeEntry(e.notice));
        return;
      case 'step-done': {
        const text = stepDoneText(e.step, e.durationNs);
        this.ctx.log({ kind: 'step', text });
        this.feed.stepDone(e.index, e.step, text);
        this.history.changed();
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
        this.ctx.log({ kind: 'warning', text: stoppedText(e.completed, e.remaining) });
        break;
      default:
        break;
    }
    this.feed.schedule();
  }

  private report(outcome: RunOutcome, p: Plan, started: number): void {
    const { project, store, settings, perRow } = this.ctx;
    const secs = ((settings.now() - started) / 1000).toFixed(2);
    const ledger = { table: project.tracking.table, tool: store.getState().info.tool ?? project.format };
    for (const entry of outcomeEntries(outcome, p, secs, perRow, ledger)) this.ctx.log(entry);
  }
}
