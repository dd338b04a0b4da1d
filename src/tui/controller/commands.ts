import type { Command } from '../keymap.js';
import { selectedRow } from '../reducer.js';
import type { ControllerContext } from './context.js';
import type { DbRefresh } from './db-refresh.js';
import { openForcePrompt, submitForcePrompt } from './force-prompt.js';
import type { HistoryLoader } from './history-loader.js';
import type { PlanRunner } from './plan-runner.js';
import type { Planner } from './planner.js';
import type { RecoveryGuide } from './recovery-guide.js';

/** The controller's parts a command can reach. */
export interface CommandTargets {
  ctx: ControllerContext;
  planner: Planner;
  runner: PlanRunner;
  recovery: RecoveryGuide;
  db: DbRefresh;
  history: HistoryLoader;
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
      if (ctx.perRow) forceRow(t);
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
    case 'confirm': {
      const confirmed = planner.takeConfirmed();
      if (confirmed) t.runner.start(confirmed.plan, confirmed.view);
      return;
    }
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
