import type { RunEvent, RunOutcome } from '../../engine/events.js';
import { stepLabel, type Plan, type Step } from '../../engine/plan.js';
import { stepDuration } from '../duration.js';
import type { LogEntry } from '../log-lines.js';
import { planName, stepText } from '../plan-view.js';
import { versionText, where } from '../text.js';
import type { Capabilities } from '../capabilities.js';

type StepFailed = Extract<RunEvent, { type: 'step-failed' }>;
type Failed = Extract<RunOutcome, { status: 'failed' }>;

/** The tool's table and name, for what a failed step left in a set-tracking tool. */
export interface LedgerTerms {
  table: string;
  tool: string;
}

export function stepDoneText(step: Step, durationNs: bigint): string {
  return `${stepText(step)} (${stepDuration(durationNs)})`;
}

export function stepFailedText(e: StepFailed): string {
  const where = e.error.line ? ` (line ${e.error.line}${e.error.column ? `, column ${e.error.column}` : ''})` : '';
  return `${stepLabel(e.step)} failed after ${stepDuration(e.durationNs)}: ${e.error.message}${where}`;
}

/** The failed step's line, then what PostgreSQL added and why it stopped. */
export function stepFailedEntries(e: StepFailed, text: string): LogEntry[] {
  const entries: LogEntry[] = [{ kind: 'error', text }];
  if (e.error.detail) entries.push({ kind: 'hint', text: `detail: ${e.error.detail}` });
  if (e.error.hint) entries.push({ kind: 'hint', text: `PostgreSQL hint: ${e.error.hint}` });
  if (e.error.cancelled) entries.push({ kind: 'warning', text: 'The running statement was cancelled on request.' });
  if (e.error.connectionLost) entries.push({ kind: 'error', text: 'The connection to PostgreSQL was lost during the migration.' });
  return entries;
}

export function stoppedText(completed: number, remaining: number): string {
  return `Stopped on request after ${completed} step${completed === 1 ? '' : 's'}; ${remaining} not run.`;
}

/** The run's summary, `secs` after it started. */
export function outcomeEntries(outcome: RunOutcome, p: Plan, secs: string, caps: Capabilities, ledger: LedgerTerms): LogEntry[] {
  const v = outcome.state.version;
  if (outcome.status === 'ok')
    return [{ kind: 'ok', text: `✓ ${planName(p)}: ${outcome.completed} step${outcome.completed === 1 ? '' : 's'} done in ${secs}s; the database ${where(v)}.` }];
  if (outcome.status === 'stopped')
    return [{ kind: 'warning', text: `■ Stopped after ${outcome.completed} of ${p.steps.length} steps; the database is clean and ${where(v)}.` }];
  const entries: LogEntry[] = [];
  const file = outcome.step.file?.path;
  if (file) entries.push({ kind: 'hint', text: `file: ${file}${outcome.error.line ? `:${outcome.error.line}` : ''}` });
  if (caps.rowWrittenWithStep) entries.push(...ledgerFailureEntries(outcome, ledger));
  else entries.push({ kind: 'error', text: `✗ The database is dirty at ${versionText(v)}. Nothing else runs until it is resolved: f opens the recovery guide.` });
  return entries;
}

/** What a failed step left, for a tool that writes its row with the step (or a failed row): the truth, re-read. */
function ledgerFailureEntries(outcome: Failed, { table, tool }: LedgerTerms): LogEntry[] {
  const step = outcome.step;
  const row = outcome.state.applied?.find((r) => r.key === step.version);
  if (row && !row.success)
    return [{ kind: 'error', text: `✗ ${step.direction} ${step.version} failed and ${table} marks it failed: ${tool} refuses to migrate until that is resolved: f shows the ways out.` }];
  const noTx = step.file?.transaction === false;
  const kept = noTx
    ? 'It ran without a transaction, so what ran before the error is still in the schema: undo or finish that by hand,'
    : 'Its transaction rolled back, so nothing of it remains:';
  const state = step.direction === 'up' ? `${step.version} is still pending` : `${step.version} is still applied`;
  return [
    { kind: 'error', text: `✗ ${step.direction} ${step.version} failed; ${state} (${table} ${step.direction === 'up' ? 'has no row for it' : 'keeps its row'}).` },
    { kind: 'hint', text: `${kept} fix the file, then ${step.direction === 'up' ? 'u' : 'd'} runs it again.${noTx ? ' :recover shows which statements took effect and the ways out.' : ''}` },
  ];
}
