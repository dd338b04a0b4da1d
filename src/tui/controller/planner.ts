import { requireNeverRun } from '../../engine/never-run.js';
import { describeIntent, type Intent, type Plan, type Refusal } from '../../engine/plan.js';
import type { DbState } from '../../formats/types.js';
import { sectionKey, type DocumentCache } from '../documents.js';
import { buildPlanView, planName } from '../plan-view.js';
import type { PlanView } from '../state.js';
import { errText } from '../text.js';
import type { ControllerContext } from './context.js';
import type { DbRefresh } from './db-refresh.js';
import { refusalEntries } from './refusal-log.js';
import { LadderError } from '../../errors.js';
import { FORMAT_LABELS } from '../../formats/detect.js';
import type { Finding } from '../../engine/lint/types.js';
// Static: in the bundle the TUI reads these from core.mjs (a dynamic import of a core module would see only its default export).
import { loadLintConfig } from '../../engine/lint/config.js';
import { lintPlan } from '../../engine/lint/project-lint.js';
import { splitStatements } from '../../db/statements.js';

/** Makes plans from intents (or takes a recovery's plan), shows them, and holds the one awaiting y/N. */
/** A typed confirmation a plan needs beyond y (the engine's: a way out that could apply committed work twice). */
export interface MustType {
  expected: string;
  prompt: string;
  /** Shown above the steps: what is already in the database. */
  notes: string[];
}

export class Planner {
  private token = 0;
  private shown: Plan | undefined;
  private mustType: MustType | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly docs: DocumentCache,
    private readonly db: DbRefresh,
    private readonly isRunning: () => boolean,
  ) {
    // Load the SQL parser once the screen is up, so the first plan's lint does not wait for it.
    setTimeout(() => void splitStatements('').catch(() => undefined), 300).unref();
  }

  async request(intent: Intent, warning: string | null = null): Promise<void> {
    if (this.isRunning()) return;
    const { store } = this.ctx;
    if (this.ctx.project.detection.ambiguous) return this.askTool(describeIntent(intent));
    const token = ++this.token;
    this.mustType = undefined;
    store.dispatch({ type: 'planning', label: describeIntent(intent) });
    try {
      const state = await this.db.readStateNow();
      if (token !== this.token) return;
      const result = this.ctx.project.plan(state, intent);
      if (!result.ok) {
        store.dispatch({ type: 'plan-close' });
        this.logRefusal(intent, result.refusal, state);
        return;
      }
      // Out of order only on the journal's evidence that it never ran (headless up --never-run checks the same).
      if (intent.kind === 'never-run') await requireNeverRun(this.ctx.project, state, intent.version);
      const view = await this.view(result.plan, warning);
      if (token !== this.token) return;
      this.shown = result.plan;
      store.dispatch({ type: 'plan-ready', plan: view });
    } catch (err) {
      if (token !== this.token) return;
      store.dispatch({ type: 'plan-close' });
      this.ctx.log({ kind: 'error', text: `Could not make a plan: ${errText(err)}` });
    }
  }

  /** An ambiguous folder: a change on a guessed tool would create the wrong tracking table, so ask which tool it is first. */
  askTool(asked: string): void {
    const candidates = this.ctx.project.detection.ambiguous;
    if (!candidates) return;
    const labels = candidates.map((f) => FORMAT_LABELS[f] ?? f);
    this.ctx.store.dispatch({ type: 'tool-ask', candidates, labels, asked });
  }

  /** The plan on screen and its view (d rehearses it). */
  current(): { plan: Plan; view: PlanView } | undefined {
    const view = this.ctx.store.getState().plan;
    return view && this.shown ? { plan: this.shown, view } : undefined;
  }

  /** Shows a view that is not an engine plan (a baseline): y goes to its owner, never to the plan runner. */
  showView(view: PlanView): void {
    this.token++;
    this.shown = undefined;
    this.mustType = undefined;
    this.ctx.store.dispatch({ type: 'plan-ready', plan: view });
  }

  /** The view on screen was taken by its owner (a baseline's y). */
  forget(): void {
    this.shown = undefined;
    this.mustType = undefined;
  }

  /** Shows a plan made elsewhere (a recovery's way out). */
  /** mustType: the plan runs only once this is typed (a retry over work that may already have committed). */
  async show(p: Plan, warning: string | null, mustType?: MustType): Promise<void> {
    const { store } = this.ctx;
    const token = ++this.token;
    this.mustType = mustType;
    store.dispatch({ type: 'planning', label: planName(p) });
    try {
      const view = await this.view(p, warning);
      if (token !== this.token) return;
      this.shown = p;
      store.dispatch({ type: 'plan-ready', plan: view });
    } catch (err) {
      if (token !== this.token) return;
      store.dispatch({ type: 'plan-close' });
      this.ctx.log({ kind: 'error', text: `Could not make a plan: ${errText(err)}` });
    }
  }

  /** A run found the shown plan stale: its fresh plan goes up for confirmation instead. */
  async reshow(p: Plan, warning: string): Promise<void> {
    this.shown = p;
    this.ctx.store.dispatch({ type: 'plan-ready', plan: await this.view(p, warning) });
  }

  /** The plan on screen, handed over to run once it is confirmed (a typed name must match). */
  takeConfirmed(): { plan: Plan; view: PlanView } | undefined {
    const s = this.ctx.store.getState();
    const view = s.plan;
    const plan = this.shown;
    if (!view || !plan || this.isRunning()) return undefined;
    if (view.confirm.kind === 'name' && s.confirmInput !== view.confirm.expected) {
      this.ctx.store.dispatch({ type: 'confirm-error', message: `that is not "${view.confirm.expected}"` });
      return undefined;
    }
    this.shown = undefined;
    this.mustType = undefined;
    return { plan, view };
  }

  decline(): void {
    this.shown = undefined;
    this.mustType = undefined;
    this.ctx.store.dispatch({ type: 'plan-close' });
    this.ctx.log({ kind: 'info', text: 'Cancelled: nothing was run.' });
  }

  abort(): void {
    this.token++;
    this.ctx.store.dispatch({ type: 'plan-close' });
    this.ctx.log({ kind: 'info', text: 'Cancelled: nothing was run.' });
  }

  logRefusal(intent: Intent, refusal: Refusal, state: DbState): void {
    for (const entry of refusalEntries(intent, refusal, state, this.ctx.store.getState().cols)) this.ctx.log(entry);
  }

  /** A plan being made is dropped when it arrives. */
  dispose(): void {
    this.token++;
  }

  /** The plan's lint findings (live facts via the project's connection). A bad .ladder.toml refuses the plan. */
  private async lint(p: Plan): Promise<Finding[]> {
    if (!p.steps.some((s) => s.kind === 'migrate')) return [];
    const config = await loadLintConfig(process.cwd());
    try {
      return await lintPlan(this.ctx.project, p, config, process.cwd());
    } catch (err) {
      if (err instanceof LadderError) throw err;
      this.ctx.log({ kind: 'warning', text: `Lint could not check this plan (${errText(err)}); it is shown unchecked.` });
      return [];
    }
  }

  private async view(p: Plan, warning: string | null): Promise<PlanView> {
    const view = await this.baseView(p, warning);
    const must = this.mustType;
    if (!must) return view;
    // Typed, never y: the list of what is already there comes first, then the question.
    return { ...view, confirm: { kind: 'name', expected: must.expected, prompt: must.prompt }, notes: [...(view.notes ?? []), ...must.notes] };
  }

  private async baseView(p: Plan, warning: string | null): Promise<PlanView> {
    const { project, store, caps } = this.ctx;
    const lint = await this.lint(p);
    const s = store.getState();
    return buildPlanView(
      p,
      {
        load: (path) => this.docs.load(path),
        section: (path, direction, sql) => this.docs.loadSection(sectionKey(path, direction), path, sql),
        tracking: project.tracking,
        listing: project.listing,
        databaseName: project.database,
        tool: s.info.tool ?? project.format,
        caps,
      },
      warning,
      lint,
    );
  }
}
