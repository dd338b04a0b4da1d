import type { CliIO } from './io.js';
import { rehearsePlan, type Rehearsal, type ScratchRehearsal } from '../engine/dry-run.js';
import { describeIntent, stepLabel, type Intent, type Plan } from '../engine/plan.js';
import type { Project } from '../engine/project.js';
import { refusalText } from '../engine/refusal-text.js';
import { LadderError } from '../errors.js';
import { goDuration } from './go-duration.js';
import { toJson } from './json.js';
import { acquireLock, type MigrateCommandOptions } from './migrate.js';

/**
 * up / down / goto --dry-run: the plan rehearsed in a transaction that is rolled back. Exit 1 if a step would fail.
 * json: one JSON document on stdout instead of the lines (refusals stay errors on stderr, as for every command).
 */
export async function dryRunCommand(project: Project, io: CliIO, intent: Intent, opts: MigrateCommandOptions, scratch?: ScratchRehearsal, json = false): Promise<number> {
  await acquireLock(project, io, opts.lockTimeoutMs);
  let rehearsals: Rehearsal[];
  let plan: Plan;
  try {
    const result = project.plan(await project.readState(), intent);
    if (!result.ok) {
      if (result.refusal.kind === 'no-change') {
        io.out(json ? toJson({ dryRun: true, intent: describeIntent(intent), noChange: true, wouldFail: false, steps: [] }) + '\n' : 'no change\n');
        return 0;
      }
      const text = refusalText(result.refusal);
      throw new LadderError(text.message, text.hint);
    }
    plan = result.plan;
    rehearsals = await rehearsePlan(project, plan, scratch);
  } finally {
    await project.session.unlock();
  }
  const failing = rehearsals.filter((r) => r.status === 'would-fail');
  if (json) {
    io.out(toJson(dryRunJson(project, plan, rehearsals)) + '\n');
    return failing.length > 0 ? 1 : 0;
  }
  io.out(`Dry run: ${rehearsals.length} step${rehearsals.length === 1 ? '' : 's'} rehearsed in a transaction that was rolled back; nothing was changed.\n`);
  const onScratch = rehearsals.filter((r) => r.onScratch).length;
  if (onScratch > 0) io.out(`${onScratch} of them could not run in that transaction and ran on a scratch copy instead (dropped afterwards).\n`);
  for (const r of rehearsals) io.out(lines(r));
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

/** The machine-readable dry run: each step with its outcome, notices, schema diff and, if it would fail, where. */
function dryRunJson(project: Project, plan: Plan, rehearsals: Rehearsal[]) {
  return {
    dryRun: true,
    intent: describeIntent(plan.intent),
    format: project.format,
    database: project.target.display,
    from: { version: plan.from.version, dirty: plan.from.dirty },
    to: plan.to,
    // Nothing was changed either way: the transaction was rolled back, a scratch copy dropped.
    changed: false,
    wouldFail: rehearsals.some((r) => r.status === 'would-fail'),
    steps: rehearsals.map(stepJson),
  };
}

function stepJson(r: Rehearsal) {
  const { step } = r;
  return {
    version: step.repeatable ? null : step.version,
    ...(step.repeatable ? { key: step.version } : {}),
    name: step.name,
    direction: step.direction,
    file: step.file?.path ?? null,
    label: stepLabel(step),
    status: r.status,
    // Where it ran: the rolled-back transaction, a scratch copy, or nowhere (not rehearsed).
    rehearsedIn: r.status === 'not-rehearsed' ? null : r.onScratch ? 'scratch-copy' : 'transaction',
    durationMs: r.durationNs === undefined ? null : Number(r.durationNs) / 1e6,
    ...(r.reason !== undefined ? { reason: r.reason } : {}),
    ...(r.error ? { error: { message: r.error.message, file: r.error.file ?? null, line: r.error.line ?? null, column: r.error.column ?? null, lineText: r.error.lineText ?? null } } : {}),
    notices: r.notices.map((n) => ({ severity: n.severity, message: n.message, ...(n.detail ? { detail: n.detail } : {}), ...(n.hint ? { hint: n.hint } : {}) })),
    changes: r.changes.map((c) => ({ sign: c.sign, kind: c.kind, name: c.name, text: c.text })),
  };
}
