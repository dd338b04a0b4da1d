import { recoveryPlan, type RecoveryOption } from '../../engine/recovery.js';
import type { DbState } from '../../formats/types.js';
import { recoveryItems } from '../recovery-choices.js';
import type { UiState } from '../state.js';
import { errText } from '../text.js';
import type { ControllerContext } from './context.js';
import { openForcePrompt } from './force-prompt.js';
import { ledgerGuide } from './ledger-guide.js';
import { diagnose } from '../../engine/diagnose.js';
import type { Planner } from './planner.js';

/**
 * The way out of a failed migration: golang-migrate's guide (the engine's diagnosis of the dirty
 * version, then its options), or a set-tracking tool's failed-row panel. Every choice goes through a plan.
 */
export class RecoveryGuide {
  private token = 0;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly planner: Planner,
  ) {}

  /** Opens the dirty-database guide and asks the engine what happened (as "ladder recover" does). */
  open(): void {
    if (this.ctx.perRow) return this.openLedgerGuide();
    const { project, store, monitor } = this.ctx;
    const journal = project.journal;
    if (!project.guidedRecovery || !journal) return;
    store.dispatch({ type: 'recovery', open: true });
    const token = ++this.token;
    const found = monitor.use(async (db) => {
      const state = await project.readState(db);
      if (!state.dirty) return null;
      return diagnose(db, project.listing, state, await journal.list(db, 20));
    }, 15_000);
    found.then(
      (diagnosis) => {
        if (token === this.token && !this.ctx.isDisposed())
          store.dispatch({ type: 'recovery-diagnosis', diagnosis, error: diagnosis ? null : 'the database is no longer dirty' });
      },
      (err) => {
        if (token === this.token && !this.ctx.isDisposed()) store.dispatch({ type: 'recovery-diagnosis', diagnosis: null, error: errText(err) });
      },
    );
  }

  /** After a re-read: a failure the guide has not been shown for opens it. */
  openIfNew(state: DbState): void {
    const s = this.ctx.store.getState();
    if (state.dirty && s.mode === 'normal' && s.recoveryShownFor !== this.dirtyKey(s)) this.open();
  }

  highlight(index: number): void {
    this.ctx.store.dispatch({ type: 'recovery-highlight', index });
  }

  /** Menu choice in the dirty-database guide: every way out shows its plan and asks y/N. */
  choose(index: number): void {
    const { store } = this.ctx;
    const s = store.getState();
    const ledger = s.recovery.ledger;
    if (ledger) {
      const way = ledger.ways[index];
      store.dispatch({ type: 'recovery', open: false });
      if (way?.intent) void this.planner.request(way.intent);
      return;
    }
    const item = recoveryItems(s)[index];
    store.dispatch({ type: 'recovery', open: false });
    if (!item) return;
    const c = item.choice;
    if (c.kind === 'force') void this.planner.request({ kind: 'force', version: c.version });
    else if (c.kind === 'type') openForcePrompt(store);
    else if (c.kind === 'option') {
      const diag = s.recovery.diagnosis;
      const option = diag?.candidates[c.candidate]?.options[c.option];
      if (!diag || !option || option.id === 'leave' || option.steps.length === 0) return;
      const p = recoveryPlan(diag.state, option as RecoveryOption & { id: 'retry' | 'mark-done' | 'undo' });
      // Running committed work again needs the version typed, as headless needs --confirm-rerun V.
      const version = diag.candidates[c.candidate]!.candidate.version;
      const must = option.confirm
        ? {
            expected: version,
            prompt: `This could apply work that already committed a second time. Type ${version} to run it anyway (esc: nothing changes):`,
            notes: ['Already there (it would run again):', ...option.confirm.alreadyThere.map((x) => `  - ${x}`)],
          }
        : undefined;
      void this.planner.show(p, option.warning ? `! ${option.warning}` : null, must);
    }
  }

  private openLedgerGuide(): void {
    const { project, store } = this.ctx;
    const guide = ledgerGuide(store.getState(), project);
    if (!guide) {
      this.ctx.log({ kind: 'info', text: `No migration has failed: ${project.tracking.table} has no failed row.` });
      return;
    }
    // Behind the panel, the list shows the failed row: that is where it is when the panel closes.
    store.dispatch({ type: 'select-version', version: guide.key });
    store.dispatch({ type: 'recovery', open: true, shownFor: guide.key, ledger: guide });
  }

  /** The failed version or row the recovery guide is about (it opens by itself once per failure). */
  private dirtyKey(s: UiState): string | null {
    const state = s.db.state;
    if (!state?.dirty) return null;
    return this.ctx.perRow ? (s.items.find((r) => r.state === 'dirty')?.version ?? state.version) : state.version;
  }
}
