import type { Project } from '../engine/project.js';
import { evidenceLine, planBaseline, type BaselineMigration, type BaselinePlan } from '../engine/baseline.js';
import { LadderError } from '../errors.js';
import type { CliIO } from './io.js';
import { acquireLock, refuseUndecided } from './migrate.js';

export interface BaselineOptions {
  version?: string;
  yes: boolean;
  lockTimeoutMs: number;
}

/**
 * `ladder baseline [V]`: records migrations as applied without running them, after printing the plan
 * with the catalog's evidence for each, and asking (or --yes).
 */
export async function baselineCommand(project: Project, io: CliIO, opts: BaselineOptions): Promise<number> {
  refuseUndecided(project);
  await acquireLock(project, io, opts.lockTimeoutMs);
  try {
    const state = await project.readState();
    const result = await planBaseline(project, project.session.client, state, opts.version);
    if (!result.ok) {
      if (result.noChange) {
        io.err(`${result.message}\n`);
        io.out('no change\n');
        return 0;
      }
      throw new LadderError(result.message, result.hint);
    }
    const { plan } = result;
    io.err(planText(project, plan));
    if (plan.record.length === 0) throw new LadderError('Nothing to baseline: the first pending migration is not in the database (see above), so nothing was recorded.', 'Pass V ("ladder baseline V") to record migrations up to V anyway.');
    if (!opts.yes) {
      if (!io.interactive) throw new LadderError('baseline records migrations without running them; refusing without confirmation.', 'Run it on a terminal to answer y, or pass --yes.');
      const answer = await io.ask(`Record ${count(plan.record.length)} as applied without running ${plan.record.length === 1 ? 'it' : 'them'}? [y/N] `);
      if (answer.trim().toLowerCase() !== 'y') throw new LadderError('Not recording anything.');
    }
    await project.baseline(plan.record.map((m) => m.version));
    for (const m of plan.record) io.out(`${m.version}/baseline ${m.name}\n`);
    return 0;
  } finally {
    await project.session.unlock();
  }
}

function count(n: number): string {
  return `${n} migration${n === 1 ? '' : 's'}`;
}

function planText(project: Project, plan: BaselinePlan): string {
  const lines = [`Baseline (${project.format}, ${project.tracking.table}): nothing is run; it writes ${project.tracking.baselineMeaning}.`];
  const head = plan.given ? 'Recording up to the version given (evidence shown, not required):' : 'Recording the migrations whose effects are all in the database now:';
  lines.push(plan.record.length > 0 ? head : 'Nothing to record:');
  for (const m of plan.record) lines.push(...migrationLines('  +', m));
  const unmet = plan.given ? plan.record.filter((m) => m.verdict === 'missing') : [];
  if (unmet.length > 0)
    lines.push(`warning: the database lacks some effects of ${unmet.map((m) => m.version).join(', ')} (marked missing above): once recorded, "ladder up" will not run ${unmet.length === 1 ? 'it' : 'them'}, so what is missing stays missing.`);
  if (plan.stoppedAt) {
    lines.push(`Stopping before ${plan.stoppedAt.version} ${plan.stoppedAt.name}: ${plan.stoppedAt.verdict === 'missing' ? 'not all of its effects are in the database' : plan.stoppedAt.note}.`);
    lines.push(...migrationLines('  -', plan.stoppedAt));
    lines.push(`  ("ladder up" runs it and what follows; "ladder baseline ${plan.stoppedAt.version}" records it anyway.)`);
  }
  return lines.join('\n') + '\n';
}

function migrationLines(mark: string, m: BaselineMigration): string[] {
  const out = [`${mark} ${m.version} ${m.name}`];
  for (const e of m.evidence) out.push(`      ${evidenceLine(e)}`);
  if (m.evidence.length === 0 && m.note) out.push(`      (${m.note})`);
  return out;
}
