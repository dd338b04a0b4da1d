import type { Project } from '../engine/project.js';
import type { Plan } from '../engine/plan.js';
import type { DbState } from '../formats/types.js';
import { LadderError } from '../errors.js';

/**
 * A tool without a dirty flag (dbmate, plain) counts a half-done step as pending, so a plain "up" would run
 * it again from its first statement. When Ladder's journal shows that step did not finish and the evidence
 * says part of it may have committed, the plan is refused unless the version is typed (--confirm-rerun V),
 * exactly as `recover --apply retry` asks. Nothing is checked when the journal's newest step finished.
 */
export async function refuseRerunOverKeptWork(project: Project, state: DbState, plan: Plan, confirmRerun: string | undefined): Promise<void> {
  const journal = project.journal;
  if (!journal) return;
  const steps = plan.steps.filter((s) => s.kind === 'migrate');
  if (steps.length === 0) return;
  const history = await journal.list(project.session.client, 20);
  if (!history[0] || history[0].outcome === 'ok') return;
  const found = await project.diagnose(state, history);
  const report = found?.candidates[0];
  if (!report) return;
  const k = report.candidate;
  if ( !steps.some((s) => s.version === k.version && s.direction === k.direction)) return;
  const confirm = report.options.find((o) => o.id === 'retry')?.confirm;
  if (!confirm || confirmRerun === k.version) return;
  const what = `${k.direction} ${k.version}${k.name ? ` ${k.name}` : ''}`;
  throw new LadderError(
    `This plan runs ${what} again, and that step did not finish last time: running it again could apply work that already committed a second time:\n${confirm.alreadyThere.map((t) => `  - ${t}`).join('\n')}`,
    `See what took effect with "ladder recover". If you are sure, add --confirm-rerun ${k.version}. Nothing was changed.`,
  );
}
