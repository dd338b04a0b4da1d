import type { Project } from '../engine/project.js';
import type { DbState } from '../formats/types.js';
import type { CandidateReport, RecoveryCase } from '../engine/diagnose.js';
import { recoveryPlan, type RecoveryOption } from '../engine/recovery.js';
import { describePlan, recordLabel } from '../engine/plan.js';
import { describeObject } from '../db/object-check.js';
import { LadderError } from '../errors.js';
import type { CliIO } from './io.js';
import { toJson } from './json.js';
import { acquireLock, printEvent, type MigrateCommandOptions } from './migrate.js';
import { NIL_VERSION } from '../formats/types.js';

export interface RecoverOptions extends MigrateCommandOptions {
  json: boolean;
  apply?: string;
  step?: 'up' | 'down';
  yes: boolean;
  /** The failed version, typed to confirm a way out that could apply committed work twice. */
  confirmRerun?: string;
}

const FATE_MARK: Record<string, string> = { kept: '✓ kept', 'rolled-back': '↺ rolled back', failed: '✗ failed', 'not-run': '· not run', unknown: '? unknown' };
const COMMITTED_TEXT: Record<string, string> = {
  all: 'all of it is in the database',
  none: 'none of it is in the database',
  part: 'part of it is in the database',
  unknown: 'Ladder cannot tell whether it committed',
};

export async function recoverCommand(project: Project, io: CliIO, opts: RecoverOptions): Promise<number> {
  // Diagnose under the migration lock: a killed client's query keeps running on the server (which notices
  // the dead client only when it next writes to it), and its session holds the lock until it ends.
  await acquireLock(project, io, opts.lockTimeoutMs);
  try {
    return await recoverLocked(project, io, opts);
  } finally {
    await project.session.unlock();
  }
}

async function recoverLocked(project: Project, io: CliIO, opts: RecoverOptions): Promise<number> {
  const state = await project.readState();
  const history = project.journal ? await project.journal.list(project.session.client, 20) : [];
  const c = await project.diagnose(state, history);
  // Set-tracking tools: no unfinished step in the journal; their own failed rows and changed checksums.
  if (!c && project.tracking.model === 'rows') return ledgerRecover(project, io, state, opts.json);
  if (!c) {
    if (opts.json) io.out(toJson({ dirty: false, version: state.version === NIL_VERSION ? null : state.version }) + '\n');
    else io.out(`The database is clean at ${state.version === NIL_VERSION ? 'no version' : `version ${state.version}`}: nothing to recover.\n`);
    return 0;
  }
  if (opts.json) {
    io.out(toJson(caseJson(c)) + '\n');
    return 0;
  }
  io.out(caseText(c));
  const choices = numbered(c);
  let choice: { option: RecoveryOption; report: CandidateReport } | undefined;
  if (opts.apply) {
    const found = choices.filter((x) => x.option.id === opts.apply && (!opts.step || x.report.candidate.direction === opts.step || x.option.id === 'leave'));
    if (found.length === 0) throw new LadderError(`"${opts.apply}" is not a way out of this state.`, `Choose one of: ${[...new Set(choices.map((x) => x.option.id))].join(', ')}.`, 2);
    if (found.length > 1) throw new LadderError(`"${opts.apply}" is ambiguous here: Ladder cannot tell which step failed.`, 'Say which step failed with --step up or --step down (the objects listed above tell them apart), or run "ladder recover" on a terminal.', 2);
    choice = found[0];
  } else {
    if (!io.interactive) {
      io.err('Not a terminal: run "ladder recover" on one to choose, or "ladder recover --apply retry|mark-done|undo --yes".\n');
      return 1;
    }
    const answer = (await io.ask(`Choose 1-${choices.length}: `)).trim();
    choice = choices[Number(answer) - 1];
  }
  if (!choice) throw new LadderError('No such choice. Nothing was changed.');
  if (choice.option.id === 'leave' || choice.option.steps.length === 0) {
    io.out('Left as it is. Nothing was changed.\n');
    return 0;
  }
  const plan = recoveryPlan(c.state, choice.option as RecoveryOption & { id: 'retry' | 'mark-done' | 'undo' }, choice.report.candidate.version);
  io.out(`\nPlan: ${describePlan(plan)}\n`);
  for (const s of plan.steps) if (s.kind === 'migrate') io.out(`  runs ${s.file?.path ?? '(no file: records the version only)'}\n`);
  const confirm = choice.option.confirm;
  if (confirm) {
    const version = choice.report.candidate.version;
    const listed = confirm.alreadyThere.map((x) => `  - ${x}`).join('\n');
    if (opts.confirmRerun !== undefined) {
      if (opts.confirmRerun !== version) throw new LadderError(`--confirm-rerun ${opts.confirmRerun} does not name the failed version ${version}. Nothing was changed.`, undefined, 2);
    } else if (!io.interactive) {
      throw new LadderError(
        `"${choice.option.id}" could apply work that already committed a second time:\n${listed}`,
        `If you are sure, add --confirm-rerun ${version}. Nothing was changed.`,
      );
    } else {
      io.out(`\nThis could apply work that already committed a second time:\n${listed}\n`);
      const typed = (await io.ask(`Type ${version} to run it anyway: `)).trim();
      if (typed !== version) {
        io.out('Nothing was changed.\n');
        return 0;
      }
    }
  }
  if (!opts.yes && !(confirm && opts.confirmRerun === undefined && io.interactive)) {
    if (!io.interactive) throw new LadderError('Refusing to change the database without confirmation.', 'Add --yes to run the chosen way out.');
    const ok = (await io.ask('Run it? [y/N] ')).trim().toLowerCase();
    if (ok !== 'y') {
      io.out('Nothing was changed.\n');
      return 0;
    }
  }
  {
    const now = await project.readState();
    if (now.version !== c.state.version || now.dirty !== c.state.dirty)
      throw new LadderError(`The state changed while you were choosing (now ${now.version}${now.dirty ? ', dirty' : ''}). Nothing was run.`, 'Run "ladder recover" again.');
    const outcome = await project.run(plan, {
      journal: opts.journal,
      control: opts.control,
      emit: (e) => {
        printEvent(io, e, opts.verbose);
        if (e.type === 'step-done' && e.step.kind === 'force') io.out(`force ${e.step.version}\n`);
      },
    });
    if (outcome.status === 'failed') {
      io.err(`error: ${outcome.error.message}${outcome.error.line ? ` at line ${outcome.error.line}:${outcome.error.column}` : ''}\n`);
      io.err(`The database is dirty at version ${outcome.state.version} again. Run "ladder recover" to see why.\n`);
      return 1;
    }
    io.out(`Recovered: the database is clean at ${outcome.state.version === NIL_VERSION ? 'no version' : `version ${outcome.state.version}`}.\n`);
    return 0;
  }
}

function numbered(c: RecoveryCase): { option: RecoveryOption; report: CandidateReport }[] {
  const out: { option: RecoveryOption; report: CandidateReport }[] = [];
  for (const r of c.candidates) for (const o of r.options) if (o.id !== 'leave') out.push({ option: o, report: r });
  const leave = c.candidates[0]?.options.find((o) => o.id === 'leave');
  if (leave) out.push({ option: leave, report: c.candidates[0]! });
  return out;
}

/** PostgreSQL's DETAIL or HINT under the error, its own lines kept (a list of dependent objects has one per line). */
function indented(label: string, text: string): string[] {
  const head = `  ${label}: `;
  return text.split('\n').map((l, i) => `${i === 0 ? head : ' '.repeat(head.length)}${l}`);
}

export function caseText(c: RecoveryCase): string {
  const lines: string[] = [c.headline ?? `The database is dirty at version ${c.state.version}.`, c.explanation, ''];
  let n = 0;
  for (const r of c.candidates) {
    const k = r.candidate;
    lines.push(`${r.certain ? 'What failed' : 'If this failed'}: ${k.direction} ${k.version}${k.name ? ` ${k.name}` : ''}`);
    lines.push(`  file:  ${k.file?.path ?? '(none: this half is missing, so the step ran nothing)'}${r.fileChanged === true ? '  (changed since it failed)' : r.fileChanged === false ? '  (unchanged since it failed)' : ''}`);
    if (r.error) lines.push(`  error: ${r.error.message}${r.error.line ? ` at line ${r.error.line}:${r.error.column ?? 1}` : ''}${r.error.sqlstate ? ` (SQLSTATE ${r.error.sqlstate})` : ''}`);
    if (r.error?.detail) lines.push(...indented('detail', r.error.detail));
    if (r.error?.hint) lines.push(...indented('hint', r.error.hint));
    if (r.parseError) lines.push(`  syntax error in the file: ${r.parseError.message}${r.parseError.line ? ` at line ${r.parseError.line}:${r.parseError.column}` : ''}`);
    if (r.attempts && r.attempts.length > 1) lines.push(`  attempts: ${r.attempts.length} since the database was last clean (journal entries ${r.attempts.map((a) => `#${a.id}`).join(', ')}), combined below`);
    if (r.committed) lines.push(`  verdict: ${COMMITTED_TEXT[r.committed]}. ${r.basis ?? ''}`);
    if (r.effects) lines.push(`  what PostgreSQL kept: ${r.effects.summary}`);
    for (const s of r.statements) {
      const span = s.startLine === s.endLine ? `line ${s.startLine}` : `lines ${s.startLine}-${s.endLine}`;
      const first = s.text.split('\n')[0]!.slice(0, 60);
      lines.push(`    ${(FATE_MARK[s.fate] ?? s.fate).padEnd(14)} ${span.padEnd(12)} ${first}`);
      for (const o of s.objects)
        lines.push(`    ${''.padEnd(14)} ${''.padEnd(12)}   ${describeObject(o)}: ${objectNow(o)}`);
      if (s.note) lines.push(`    ${''.padEnd(14)} ${''.padEnd(12)}   (${s.note})`);
    }
    lines.push('  ways out:');
    for (const o of r.options) {
      if (o.id === 'leave') continue;
      lines.push(`  ${++n}. ${o.label}${o.recommended ? '  (recommended)' : ''}`);
      lines.push(`     ${o.consequence}`);
      if (o.warning) lines.push(`     ! ${o.warning}`);
      if (o.confirm) lines.push(`     ! Runs only after you type the version ${k.version} to confirm.`);
    }
    lines.push('');
  }
  const leaveRecommended = c.candidates.length === 1 && c.candidates[0]!.options.some((o) => o.id === 'leave' && o.recommended);
  lines.push(`  ${n + 1}. Leave it for now (changes nothing)${leaveRecommended ? '  (recommended: check by hand first)' : ''}`);
  return lines.join('\n') + '\n';
}

function objectNow(o: { existsNow: boolean | null; validNow?: boolean; action: string }): string {
  if (o.existsNow === null) return 'could not check';
  if (!o.existsNow) return 'does not exist';
  return o.validNow === false ? 'exists now, INVALID (an unfinished CONCURRENTLY build: drop it before retrying)' : 'exists now';
}

function caseJson(c: RecoveryCase) {
  return {
    // golang-migrate's dirty flag; a tool without one reports its own flag and the step that did not finish.
    dirty: c.headline === undefined ? true : c.state.dirty,
    ...(c.headline !== undefined ? { unfinished: c.headline } : {}),
    version: c.state.version,
    source: c.source,
    explanation: c.explanation,
    candidates: c.candidates.map((r) => ({
      direction: r.candidate.direction,
      version: r.candidate.version,
      name: r.candidate.name,
      file: r.candidate.file?.path ?? null,
      certain: r.certain,
      committed: r.committed ?? null,
      basis: r.basis ?? null,
      alreadyThere: r.alreadyThere ?? [],
      attempts: (r.attempts ?? []).map((a) => ({ id: a.id, outcome: a.outcome, error: a.error, sqlstate: a.sqlstate })),
      recommended: r.options.find((o) => o.recommended)?.id ?? null,
      error: r.error ?? null,
      fileChanged: r.fileChanged ?? null,
      parseError: r.parseError ?? null,
      effects: r.effects ? { mode: r.effects.mode, summary: r.effects.summary, located: r.effects.located } : null,
      statements: r.statements,
      options: r.options.map((o) => ({ id: o.id, label: o.label, consequence: o.consequence, warning: o.warning ?? null, recommended: Boolean(o.recommended), confirm: o.confirm ?? null, steps: o.steps.map((s) => (s.kind === 'migrate' ? `${s.direction} ${s.version}` : s.kind === 'force' ? `force ${s.version}` : s.kind === 'record' ? recordLabel(s) : 'drop')) })),
    })),
  };
}

/** Set-tracking tools: what failed, and the tool's way out (repair or force), in its own terms. */
function ledgerRecover(project: Project, io: CliIO, state: DbState, json: boolean): number {
  const status = project.status(state);
  const failed = status.rows.filter((r) => r.state === 'dirty');
  const changed = status.rows.filter((r) => r.state === 'changed' || r.state === 'missing');
  if (json) {
    io.out(toJson({ dirty: state.dirty, version: state.version === NIL_VERSION ? null : state.version, failed: failed.map((r) => r.version), needsRepair: changed.map((r) => r.version) }) + '\n');
    return 0;
  }
  if (failed.length === 0 && changed.length === 0) {
    io.out(`Nothing to recover: no failed rows in ${project.tracking.table}, and every applied migration matches its file.\n`);
    return 0;
  }
  for (const r of failed)
    io.out(`${r.version} ${r.name}: failed part-way (${r.label ?? 'success = false'}). Fix the schema by hand, then "ladder repair" deletes the failed row so "ladder up" retries it, or "ladder force ${r.version}" records it as done.\n`);
  for (const r of changed) io.out(`${r.version} ${r.name}: ${r.problems[0] ?? r.state}\n`);
  io.out('"ladder repair" prints each row it changes; "ladder status" shows the result.\n');
  return 0;
}
