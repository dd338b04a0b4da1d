import type { Step } from '../../engine/plan.js';
import type { DbState, Version } from '../../formats/types.js';
import { redact } from '../../redact.js';
import { oneLine, type LogEntry, type LogLine } from '../log-lines.js';
import { RingBuffer } from '../ring-buffer.js';
import type { StepResult } from '../state.js';
import type { ControllerContext } from './context.js';

const LOG_CAPACITY = 5000;
const LOG_IN_STATE = 2000;

interface Progress {
  started: boolean;
  /** The step at index is running (false between a step's end and the next one's start). */
  running: boolean;
  index: number;
  stepStartedAt: number;
  completed: number;
  results: StepResult[];
  dirty: boolean;
}

/**
 * What accumulates between frames: the log (a ring buffer), a run's progress and the version it reached.
 * It goes into state one dispatch each, at most every flushMs; while a plan runs, a ticker flushes.
 */
export class BufferedFeed {
  private readonly ring = new RingBuffer<LogLine>(LOG_CAPACITY);
  private logId = 0;
  private logDirty = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private lastFlush = 0;
  private tickTimer: NodeJS.Timeout | undefined;
  private progress: Progress | undefined;
  private liveState: DbState | undefined;
  /** Set-tracking tools: a step finished, so re-read the rows (at most once per flush) to redraw the markers. */
  private liveWanted = false;
  private liveReading = false;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly isRunning: () => boolean,
  ) {}

  log(entry: LogEntry): void {
    this.ring.push({ id: ++this.logId, kind: entry.kind, text: oneLine(redact(entry.text)), at: Date.now() });
    this.logDirty = true;
    this.schedule();
  }

  schedule(): void {
    if (this.flushTimer || this.tickTimer) return; // the run's ticker flushes anyway
    const { flushMs, now } = this.ctx.settings;
    const wait = Math.max(0, this.lastFlush + flushMs - now());
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, wait);
  }

  /** Copies what accumulated (log lines, run progress, live version) into state. */
  flush(): void {
    const { store } = this.ctx;
    this.lastFlush = this.ctx.settings.now();
    if (this.ctx.isDisposed()) return;
    if (this.liveWanted && !this.liveReading) this.liveRead();
    if (this.logDirty) {
      this.logDirty = false;
      store.dispatch({ type: 'log', lines: this.ring.last(LOG_IN_STATE), total: this.ring.total });
    }
    const p = this.progress;
    if (p && p.dirty) {
      p.dirty = false;
      store.dispatch({ type: 'run-progress', started: p.started, running: p.running, index: p.index, stepStartedAt: p.stepStartedAt, completed: p.completed, results: p.results, now: this.lastFlush });
      p.results = [];
    } else if (this.tickTimer) store.dispatch({ type: 'tick', now: this.lastFlush });
    if (this.liveState) {
      const st = this.liveState;
      this.liveState = undefined;
      store.dispatch({ type: 'db-state', state: st, lockHolder: null });
    }
  }

  runStarted(startedAt: number): void {
    this.progress = { started: false, running: false, index: 0, stepStartedAt: startedAt, completed: 0, results: [], dirty: false };
    this.tickTimer = setInterval(() => this.flush(), this.ctx.settings.flushMs);
  }

  runEnded(): void {
    clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.progress = undefined;
    this.liveState = undefined;
  }

  stepStarted(index: number): void {
    const now = this.ctx.settings.now();
    const p = this.progress;
    if (!p) return;
    p.started = true;
    p.running = true;
    p.index = index;
    p.stepStartedAt = now;
    p.dirty = true;
  }

  stepDone(index: number, step: Step, text: string): void {
    const p = this.progress;
    if (p) {
      p.completed++;
      p.running = false;
      p.index = index + 1;
      p.results.push({ index, ok: true, text });
      p.dirty = true;
    }
    if (!this.ctx.caps.stateFollowsSteps) this.liveWanted = true;
    else if (step.kind === 'migrate') this.liveState = { version: step.target, dirty: false };
    else if (step.kind === 'force') this.liveState = { version: step.version, dirty: false };
  }

  stepFailed(index: number, target: Version, text: string): void {
    const p = this.progress;
    if (p) {
      p.running = false;
      p.results.push({ index, ok: false, text });
      p.dirty = true;
    }
    if (!this.ctx.caps.stateFollowsSteps) this.liveWanted = true;
    else this.liveState = { version: target, dirty: true };
  }

  dispose(): void {
    clearInterval(this.tickTimer);
    clearTimeout(this.flushTimer);
  }

  /** Re-reads the tool's rows during a run (its steps write them), so the markers follow the run. */
  private liveRead(): void {
    this.liveWanted = false;
    this.liveReading = true;
    this.ctx.monitor.readState().then(
      (state) => {
        this.liveReading = false;
        if (!this.ctx.isDisposed() && this.isRunning()) this.ctx.store.dispatch({ type: 'db-state', state, lockHolder: null });
      },
      () => {
        this.liveReading = false;
      },
    );
  }
}
