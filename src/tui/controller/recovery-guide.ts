import { recoveryPlan, type RecoveryOption } from '../../engine/recovery.js';
import type { RecoveryCase } from '../../engine/diagnose.js';
import type { DbState } from '../../formats/types.js';
import { recoveryItems } from '../recovery-choices.js';
import type { UiState } from '../state.js';
import { errText } from '../text.js';
import type { ControllerContext } from './context.js';
import { openForcePrompt } from './force-prompt.js';
import { ledgerGuide } from './ledger-guide.js';
import type { Planner } from './planner.js';

/** Why the guide is opening: the user asked (f, :recover), or Ladder saw a failure (start-up, after a run, a re-read). */
export type GuideReason = 'asked' | 'failure';

/**
 * The way out of a failed or half-done step, for every tool: the engine's statement-level diagnosis
 * (project.diagnose, as "ladder recover" prints it) with the tool's ways out in its own words; for a
 * failed row the journal cannot explain, the tool's failed-row panel. Every choice goes through a plan.
 */
export class RecoveryGuide {
  private token = 0;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly planner: Planner,
  ) {}

  /**
   * Opens the guide and asks the engine what happened. A dirty database (or a failed row) opens it at
   * once; a half-done step the tool still counts as pending (a no-transaction step that failed part-way)
   * opens it when the diagnosis comes in and says some of it may be in the database.
   */
  open(reason: GuideReason = 'asked'): void {
    const { project, store, monitor } = this.ctx;
    const journal = project.journal;
    const s = store.getState();
    const dirty = s.db.state?.dirty === true;
    const shown = reason === 'asked' || dirty;
    if (shown) store.dispatch({ type: 'recovery', open: true, shownFor: this.dirtyKey(s) ?? undefined });
    const token = ++this.token;
    const found = monitor.use(async (db) => {
      const state = await project.readState(db);
      const history = journal ? await journal.list(db, 20) : [];
      return project.diagnose(state, history);
    }, 15_000);
    found.then(
      (diagnosis) => {
        if (token !== this.token || this.ctx.isDisposed()) return;
        if (diagnosis && (shown || worthGuiding(diagnosis))) return this.show(diagnosis, shown);
        if (this.ctx.caps.failedRowPanel) return this.openLedgerGuide(shown, reason === 'asked');
        if (shown) store.dispatch({ type: 'recovery-diagnosis', diagnosis: null, error: 'the database is no longer dirty' });
      },
      (err) => {
        if (token !== this.token || this.ctx.isDisposed()) return;
        if (shown) store.dispatch({ type: 'recovery-diagnosis', diagnosis: null, error: errText(err) });
        else this.ctx.log({ kind: 'warning', text: `Could not check what the failed step left behind: ${errText(err)}. f or :recover opens the recovery guide.` });
      },
    );
  }

  /** After a re-read: a failure the guide has not been shown for opens it. */
  openIfNew(state: DbState): void {
    const s = this.ctx.store.getState();
    if (state.dirty && s.mode === 'normal' && s.recoveryShownFor !== this.dirtyKey(s)) this.open('failure');
  }

  highlight(index: number): void {
    this.ctx.store.dispatch({ type: 'recovery-highlight', index });
  }

  /** Menu choice in the guide: every way out shows its plan and asks y/N (or the version typed). */
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
      // Running committed work again needs the version typed, as headless needs --confirm-rerun V.
      const version = diag.candidates[c.candidate]!.candidate.version;
      const p = recoveryPlan(diag.state, option as RecoveryOption & { id: 'retry' | 'mark-done' | 'undo' }, version);
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

  private show(diagnosis: RecoveryCase, open: boolean): void {
    const { store } = this.ctx;
    if (!open) {
      const k = diagnosis.candidates[0]?.candidate;
      if (k) store.dispatch({ type: 'select-version', version: k.version });
      store.dispatch({ type: 'recovery', open: true, shownFor: k?.version });
    }
    store.dispatch({ type: 'recovery-diagnosis', diagnosis, error: null });
  }

  /** A failed row the journal has no unfinished step for (it failed under the tool itself): the tool's repair or force. */
  private openLedgerGuide(open: boolean, asked: boolean): void {
    const { project, store } = this.ctx;
    const guide = ledgerGuide(store.getState(), project);
    if (!guide) {
      if (open) store.dispatch({ type: 'recovery', open: false });
      if (asked) this.ctx.log({ kind: 'info', text: `No migration has failed: ${project.tracking.table} has no failed row, and Ladder's journal has no unfinished step.` });
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
    return this.ctx.caps.tracks === 'rows' ? (s.items.find((r) => r.state === 'dirty')?.version ?? state.version) : state.version;
  }
}

/** A diagnosis worth opening the guide for unasked: the step left a failed mark, or some of it may be in the database. */
function worthGuiding(c: RecoveryCase): boolean {
  return c.state.dirty || c.candidates.some((r) => r.committed !== undefined && r.committed !== 'none');
}
