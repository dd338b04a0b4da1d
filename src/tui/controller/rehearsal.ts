import { rehearsePlan, type Rehearsal } from '../../engine/dry-run.js';
import type { Plan } from '../../engine/plan.js';
import { planName, planSignature, stepText } from '../plan-view.js';
import type { DryRunStep, PlanView } from '../state.js';
import { errText, where } from '../text.js';
import type { ControllerContext } from './context.js';
import type { PlanRunner } from './plan-runner.js';
import type { Planner } from './planner.js';
import { scratchAccess } from './scratch.js';

/**
 * d in the plan view: the plan on screen rehearsed under the lock, in a transaction that is rolled back
 * (engine/dry-run.ts, as "ladder up --dry-run"), then shown step by step; esc goes back to the same plan.
 * Nothing is written: no schema change, no tracking row, no journal row. A step a transaction cannot hold
 * (CREATE INDEX CONCURRENTLY, a file with its own COMMIT) and the steps after it run on a scratch copy
 * instead (the embedded PostgreSQL, or the scratch server Ladder was given), dropped afterwards.
 */
export class DryRun {
  constructor(
    private readonly ctx: ControllerContext,
    private readonly planner: Planner,
    private readonly runner: PlanRunner,
  ) {}

  start(): void {
    const shown = this.planner.current();
    if (!shown || this.runner.isRunning()) return;
    const { store } = this.ctx;
    store.dispatch({ type: 'dry-run-start', title: planName(shown.plan) });
    this.runner.exclusive(async () => {
      let steps: DryRunStep[] = [];
      let onScratch = 0;
      let error: string | null = null;
      try {
        steps = (await this.rehearse(shown.plan, shown.view)).map(stepView);
        onScratch = steps.filter((x) => x.onScratch).length;
      } catch (err) {
        error = errText(err);
      }
      if (this.ctx.isDisposed()) return;
      store.dispatch({ type: 'dry-run-done', steps, error });
      const failing = steps.filter((s) => s.status === 'would-fail');
      this.ctx.log(
        error
          ? { kind: 'error', text: `Dry run of ${planName(shown.plan)} could not run: ${error}. Nothing was changed.` }
          : failing.length > 0
            ? { kind: 'error', text: `Dry run of ${planName(shown.plan)}: ${failing[0]!.label} would fail (${failing[0]!.error?.message ?? ''}); nothing was changed.` }
            : {
                kind: 'ok',
                text: `Dry run of ${planName(shown.plan)}: ${steps.length} step${steps.length === 1 ? '' : 's'} rehearsed and rolled back${onScratch > 0 ? ` (${onScratch} on a scratch copy, dropped afterwards)` : ''}; nothing was changed.`,
              },
      );
    });
  }

  /** Under the lock, the plan made again from the database as it is now must be the one on screen. */
  private async rehearse(p: Plan, view: PlanView): Promise<Rehearsal[]> {
    const { project, settings } = this.ctx;
    const got = await project.session.lock(project.tracking.lockId, settings.lockTimeoutMs);
    if (!got) throw new Error(`can't acquire the migration lock within ${settings.lockTimeoutMs / 1000}s (another migration is probably running)`);
    try {
      const state = await project.readState();
      let plan = p;
      if (p.recover) {
        if (state.version !== p.from.version || state.dirty !== p.from.dirty) throw new Error(`the database changed since the plan was shown (it ${where(state.version)}${state.dirty ? ', dirty' : ''})`);
      } else {
        const fresh = project.plan(state, p.intent);
        if (!fresh.ok || planSignature(fresh.plan) !== view.signature) throw new Error(`the database changed since the plan was shown (it ${where(state.version)}${state.dirty ? ', dirty' : ''}); close the plan and ask again`);
        plan = fresh.plan;
      }
      return await rehearsePlan(project, plan, scratchAccess(this.ctx));
    } finally {
      await project.session.unlock();
    }
  }
}

function stepView(r: Rehearsal): DryRunStep {
  const e = r.error;
  const file = e?.file ? e.file.slice(e.file.lastIndexOf('/') + 1) : '';
  return {
    label: stepText(r.step),
    status: r.status,
    durationMs: r.durationNs === undefined ? null : Number(r.durationNs) / 1e6,
    notices: r.notices.map((n) => `${n.severity}: ${n.message}`),
    changes: r.changes.map((c) => c.text),
    ...(e
      ? {
          error: {
            message: e.message,
            where: file ? `${file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}` : e.line ? `line ${e.line}` : '',
            ...(e.line !== undefined ? { line: e.line } : {}),
            ...(e.lineText !== undefined ? { lineText: e.lineText } : {}),
          },
        }
      : {}),
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.onScratch ? { onScratch: true } : {}),
  };
}
