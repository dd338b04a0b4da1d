import type { Command } from '../command.js';
import { complete, parseCommand } from '../command-line.js';
import { selectedRow } from '../reducer.js';
import type { ControllerContext } from './context.js';
import type { DbRefresh } from './db-refresh.js';
import { openForcePrompt, submitForcePrompt } from './force-prompt.js';
import type { HistoryLoader } from './history-loader.js';
import type { PlanRunner } from './plan-runner.js';
import type { Planner } from './planner.js';
import type { RecoveryGuide } from './recovery-guide.js';
import { lintPending, type DriftCheck } from './schema-insight.js';
import type { Baseline } from './baseline.js';
import type { DryRun } from './rehearsal.js';

/** The controller's parts a command can reach. */
export interface CommandTargets {
  ctx: ControllerContext;
  planner: Planner;
  runner: PlanRunner;
  recovery: RecoveryGuide;
  db: DbRefresh;
  history: HistoryLoader;
  /** Reads both halves of the selected migration for the detail view. */
  loadDetail: () => void;
  drift: DriftCheck;
  baseline: Baseline;
  dryRun: DryRun;
}

/** Carries out what a key asked for (keymap.ts decides which command a key is). */
export function executeCommand(cmd: Command, t: CommandTargets): void {
  const { ctx, planner } = t;
  const { store } = ctx;
  const s = store.getState();
  switch (cmd.kind) {
    case 'none':
      return;
    case 'dispatch':
      store.dispatch(cmd.action);
      return;
    case 'plan':
      void planner.request(cmd.intent);
      return;
    case 'goto-selected': {
      const row = selectedRow(s);
      if (!row) return ctx.log({ kind: 'info', text: 'No migration selected.' });
      if (row.repeatable) return ctx.log({ kind: 'info', text: `"${row.name}" is a repeatable migration: it has no version to go to. u / U run it when it is due (new, or its file changed).` });
      void planner.request({ kind: 'goto', version: row.version });
      return;
    }
    case 'force':
      if (ctx.caps.forceTarget === 'selected-row') forceRow(t);
      else if (s.db.state?.dirty) t.recovery.open();
      else openForcePrompt(store);
      return;
    case 'forget': {
      const row = selectedRow(s);
      if (!row) return ctx.log({ kind: 'info', text: 'No migration selected.' });
      void planner.request({ kind: 'forget', version: row.version });
      return;
    }
    case 'repair':
      void planner.request({ kind: 'repair' });
      return;
    case 'force-submit': {
      const version = submitForcePrompt(store);
      if (version !== undefined) void planner.request({ kind: 'force', version });
      return;
    }
    case 'confirm':
    case 'step-confirm': {
      if (s.plan?.baseline) return t.baseline.record(s.plan);
      const confirmed = planner.takeConfirmed();
      if (confirmed) t.runner.start(confirmed.plan, confirmed.view, cmd.kind === 'step-confirm');
      return;
    }
    case 'step-next':
    case 'step-continue':
      t.runner.resume(cmd.kind === 'step-continue');
      return;
    case 'step-stop':
      t.runner.stopStepping();
      return;
    case 'detail-open':
      if (!selectedRow(s)) return ctx.log({ kind: 'info', text: 'No migration selected.' });
      store.dispatch({ type: 'detail', open: true });
      t.history.load();
      t.loadDetail();
      return;
    case 'command-complete':
      store.dispatch({ type: 'command-set', value: complete(s.command.value) });
      return;
    case 'command-submit':
      return runCommandLine(t);
    case 'decline':
      planner.decline();
      return;
    case 'abort-planning':
      planner.abort();
      return;
    case 'cancel-menu':
      store.dispatch({ type: 'cancel-menu', open: true });
      return;
    case 'cancel-now':
      t.runner.chooseCancel('cancel-now');
      return;
    case 'refresh':
      ctx.log({ kind: 'info', text: 'Re-reading the folder and the database…' });
      void t.db.refresh({ listing: true, announce: true });
      return;
    case 'history-open':
      store.dispatch({ type: 'history-view', open: true });
      t.history.load();
      return;
    case 'quit':
      store.dispatch({ type: 'quit' });
      return;
    case 'say':
      ctx.log({ kind: 'info', text: cmd.text });
      return;
    case 'baseline':
      void t.baseline.request(cmd.version);
      return;
    case 'dry-run':
      t.dryRun.start();
      return;
    case 'recover':
      t.recovery.open('asked');
      return;
  }
}

/** Set-tracking tools: f acts on the selected row, in the tool's terms; on a failed row it shows the ways out. */
function forceRow(t: CommandTargets): void {
  const s = t.ctx.store.getState();
  if (s.db.state?.dirty) return t.recovery.open();
  const row = selectedRow(s);
  if (!row) return t.ctx.log({ kind: 'info', text: 'No migration selected.' });
  void t.planner.request({ kind: 'force', version: row.version });
}

/** Enter on the : line: the command runs as its key would (every mutation still shows its plan first). */
function runCommandLine(t: CommandTargets): void {
  const { store } = t.ctx;
  const req = parseCommand(store.getState().command.value);
  if (req.kind === 'error') return store.dispatch({ type: 'command-error', message: req.message });
  store.dispatch({ type: 'command-close' });
  switch (req.kind) {
    case 'plan':
      if (req.intent.kind === 'force' && t.ctx.caps.forceTarget === 'selected-row') {
        store.dispatch({ type: 'select-version', version: req.intent.version });
      }
      void t.planner.request(req.intent);
      return;
    case 'history':
      return executeCommand({ kind: 'history-open' }, t);
    case 'log':
      return store.dispatch({ type: 'log-view', open: true });
    case 'help':
      return store.dispatch({ type: 'help', open: true });
    case 'refresh':
      return executeCommand({ kind: 'refresh' }, t);
    case 'quit':
      return executeCommand({ kind: 'quit' }, t);
    case 'drift':
      void t.drift.check();
      return;
    case 'lint':
      void lintPending(t.ctx);
      return;
    case 'recover':
      return executeCommand({ kind: 'recover' }, t);
    case 'baseline':
      return executeCommand(req.version === undefined ? { kind: 'baseline' } : { kind: 'baseline', version: req.version }, t);
  }
}
