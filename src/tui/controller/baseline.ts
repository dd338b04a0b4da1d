import { evidenceLine, planBaseline } from '../../engine/baseline.js';
import { baselineView } from '../baseline-view.js';
import { errText, where } from '../text.js';
import type { PlanView } from '../state.js';
import type { ControllerContext } from './context.js';
import type { DbRefresh } from './db-refresh.js';
import type { HistoryLoader } from './history-loader.js';
import type { PlanRunner } from './plan-runner.js';
import type { Planner } from './planner.js';

/**
 * b and :baseline [V]: records pending migrations as applied without running them, as the tool's own
 * baseline writes it (golang-migrate: force V; Flyway: its BASELINE row). Planned by the engine with the
 * catalog's evidence per migration, shown as a plan before y, and recorded under the lock after planning
 * it again there (the database must not have moved meanwhile).
 */
export class Baseline {
  constructor(
    private readonly ctx: ControllerContext,
    private readonly planner: Planner,
    private readonly runner: PlanRunner,
    private readonly db: DbRefresh,
    private readonly history: HistoryLoader,
  ) {}

  async request(version?: string): Promise<void> {
    if (this.runner.isRunning()) return;
    const { project, store, monitor } = this.ctx;
    if (project.detection.ambiguous) return this.planner.askTool(`baseline${version ? ` ${version}` : ''}`);
    const label = `baseline${version ? ` ${version}` : ''}`;
    store.dispatch({ type: 'planning', label });
    try {
      const state = await this.db.readStateNow();
      const result = await monitor.use((db) => planBaseline(project, db, state, version), 30_000);
      if (store.getState().mode !== 'planning') return; // esc while it was checking
      if (!result.ok) {
        store.dispatch({ type: 'plan-close' });
        this.ctx.log({ kind: result.noChange ? 'info' : 'error', text: `${label}: ${result.message}${result.noChange ? ' No change.' : ''}` });
        if (result.hint) this.ctx.log({ kind: 'hint', text: result.hint });
        return;
      }
      const s = store.getState();
      const view = baselineView(result.plan, { table: project.tracking.table, meaning: project.tracking.baselineMeaning, tool: s.info.tool ?? s.info.format }, version);
      if (!view) {
        store.dispatch({ type: 'plan-close' });
        const stop = result.plan.stoppedAt;
        this.ctx.log({ kind: 'warning', text: `${label}: nothing to record: the first pending migration, ${stop ? `${stop.version} ${stop.name}` : ''}, is not in the database, so nothing was recorded.` });
        for (const e of stop?.evidence ?? []) this.ctx.log({ kind: 'hint', text: `  ${stop!.version}: ${evidenceLine(e)}` });
        if (stop?.note) this.ctx.log({ kind: 'hint', text: `  ${stop.version}: ${stop.note}` });
        this.ctx.log({ kind: 'hint', text: ':baseline V records migrations up to V anyway; u runs them.' });
        return;
      }
      this.planner.showView(view);
    } catch (err) {
      store.dispatch({ type: 'plan-close' });
      this.ctx.log({ kind: 'error', text: `Could not plan the baseline: ${errText(err)}` });
    }
  }

  /** y on a baseline's plan: recorded under the lock, if planning it again there gives the same migrations. */
  record(view: PlanView): void {
    const b = view.baseline;
    if (!b || this.runner.isRunning()) return;
    const { project, store, settings } = this.ctx;
    this.planner.forget();
    store.dispatch({ type: 'plan-close' });
    this.runner.exclusive(async () => {
      const n = b.versions.length;
      this.ctx.log({ kind: 'action', text: `▶ baseline: recording ${n} migration${n === 1 ? '' : 's'} as applied on ${project.database}, running nothing` });
      const got = await project.session.lock(project.tracking.lockId, settings.lockTimeoutMs);
      if (!got) {
        this.ctx.log({ kind: 'error', text: `timeout: can't acquire the migration lock within ${settings.lockTimeoutMs / 1000}s (another migration is probably running). Nothing was recorded.` });
        return;
      }
      try {
        const state = await project.readState();
        const again = await planBaseline(project, project.session.client, state, b.given);
        const same = again.ok && again.plan.record.map((m) => m.version).join(',') === b.versions.join(',');
        if (!same || !again.ok) {
          this.ctx.log({ kind: 'warning', text: `The database changed since the baseline was shown (it ${where(state.version)}${state.dirty ? ', dirty' : ''}); nothing was recorded. Run baseline again.` });
          return;
        }
        await project.baseline(b.versions);
        for (const m of again.plan.record) this.ctx.log({ kind: 'ok', text: `${m.version}/baseline ${m.name}` });
        const now = await project.readState();
        this.ctx.log({ kind: 'ok', text: `✓ baseline: ${n} recorded as applied; nothing was run. The database ${where(now.version)}.` });
      } catch (err) {
        this.ctx.log({ kind: 'error', text: `Baseline failed: ${errText(err)}. Nothing was recorded.` });
      } finally {
        await project.session.unlock();
        if (!this.ctx.isDisposed()) {
          await this.db.refresh({ listing: false, force: true });
          this.history.changed();
        }
      }
    });
  }
}
