import type { CliIO } from './io.js';
import { rehearsePlan, type Rehearsal, type ScratchRehearsal } from '../engine/dry-run.js';
import { stepLabel, type Intent } from '../engine/plan.js';
import type { Project } from '../engine/project.js';
import { refusalText } from '../engine/refusal-text.js';
import { LadderError } from '../errors.js';
import { goDuration } from './go-duration.js';
import { acquireLock, type MigrateCommandOptions } from './migrate.js';

/** up / down / goto --dry-run: the plan rehearsed in a transaction that is rolled back. Exit 1 if a step would fail. */
export async function dryRunCommand(project: Project, io: CliIO, intent: Intent, opts: MigrateCommandOptions, scratch?: ScratchRehearsal): Promise<number> {
  await acquireLock(project, io, opts.lockTimeoutMs);
  let rehearsals: Rehearsal[];
  try {
    const result = project.plan(await project.readState(), intent);
    if (!result.ok) {
      if (result.refusal.kind === 'no-change') {
        io.out('no change\n');
        return 0;
      }
      const text = refusalText(result.refusal);
      throw new LadderError(text.message, text.hint);
    }
    rehearsals = await rehearsePlan(project, result.plan, scratch);
  } finally {
    await project.session.unlock();
  }
  io.out(`Dry run: ${rehearsals.length} step${rehearsals.length === 1 ? '' : 's'} rehearsed in a transaction that was rolled back; nothing was changed.\n`);
  const onScratch = rehearsals.filter((r) => r.onScratch).length;
  if (onScratch > 0) io.out(`${onScratch} of them could not run in that transaction and ran on a scratch copy instead (dropped afterwards).\n`);
  for (const r of rehearsals) io.out(lines(r));
  const failing = rehearsals.filter((r) => r.status === 'would-fail');
  const skipped = rehearsals.filter((r) => r.status === 'not-rehearsed');
  if (skipped.length > 0) io.out(`Not rehearsed: ${skipped.map((r) => r.step.version).join(', ')}\n`);
  if (failing.length > 0) {
    io.err(`error: ${stepLabel(failing[0]!.step)} would fail; nothing was changed.\n`);
    return 1;
  }
  return 0;
}

function lines(r: Rehearsal): string {
  const label = stepLabel(r.step);
  let s: string;
  switch (r.status) {
    case 'ok':
      s = `${label} (${goDuration(r.durationNs ?? 0n)}) would succeed\n`;
      break;
    case 'not-rehearsed':
      s = `${label}: not rehearsed: ${r.reason}\n`;
      break;
    case 'would-fail': {
      const e = r.error!;
      const where = e.file ? `${e.file}${e.line ? `:${e.line}${e.column ? `:${e.column}` : ''}` : ''}` : '';
      s = `${label} (${goDuration(r.durationNs ?? 0n)}) WOULD FAIL: ${e.message}${where ? ` at ${where}` : ''}\n`;
      if (e.lineText !== undefined) s += `    ${e.line} | ${e.lineText}\n`;
      break;
    }
  }
  if (r.onScratch) s += `    (${r.reason})\n`;
  for (const n of r.notices) s += `    ${n.severity}: ${n.message}\n`;
  for (const c of r.changes) s += `    ${c.text}\n`;
  return s;
}
