import { evidenceLine, type BaselineMigration, type BaselinePlan } from '../engine/baseline.js';
import type { PlanView } from './state.js';

export interface BaselineTerms {
  /** The tool's table. */
  table: string;
  /** What the tool's baseline writes (Project.tracking.baselineMeaning). */
  meaning: string;
  tool: string;
}

function count(n: number): string {
  return `${n} migration${n === 1 ? '' : 's'}`;
}

function verdict(m: BaselineMigration): string {
  if (m.verdict === 'present') return 'all of its effects are in the database';
  if (m.verdict === 'missing') return 'NOT all of its effects are in the database';
  return `cannot be checked: ${m.note ?? 'nothing the catalog can show'}`;
}

/** Per migration, what the catalog says of each object its up SQL leaves ("users: exists", "audit_logs: missing"). */
function evidence(m: BaselineMigration): string[] {
  const out = m.evidence.map(evidenceLine);
  return out.length === 0 && m.note ? [`(${m.note})`] : out;
}

/**
 * A baseline as the plan panel shows it before y: nothing runs; each migration it records, with the
 * catalog's evidence for it; where (and why) it stopped; and, for a version given, what is missing.
 * Null when there is nothing to record (the caller says why).
 */
export function baselineView(plan: BaselinePlan, terms: BaselineTerms, given?: string): PlanView | null {
  if (plan.record.length === 0) return null;
  const n = plan.record.length;
  const versions = plan.record.map((m) => m.version);
  // In reading order: what is recorded, each with its evidence, then where it stopped and why.
  const notes: string[] = [plan.given ? 'Recording every pending migration up to the version given (evidence shown, not required):' : 'Recording the pending migrations whose effects are all in the database now:'];
  for (const m of plan.record) {
    notes.push(`+ ${m.version} ${m.name}: ${verdict(m)}`);
    for (const line of evidence(m)) notes.push(`    ${line}`);
  }
  const unmet = plan.given ? plan.record.filter((m) => m.verdict === 'missing') : [];
  const warning =
    unmet.length > 0
      ? `! The database lacks some effects of ${unmet.map((m) => m.version).join(', ')} (marked missing below): once recorded, up will not run ${unmet.length === 1 ? 'it' : 'them'}, so what is missing stays missing.`
      : null;
  if (plan.stoppedAt) {
    const s = plan.stoppedAt;
    notes.push(`Stops before ${s.version} ${s.name}: ${s.verdict === 'missing' ? 'not all of its effects are in the database' : s.note ?? 'it cannot be checked'}:`);
    for (const line of evidence(s)) notes.push(`    ${line}`);
    notes.push(`(u runs it and what follows; :baseline ${s.version} records it anyway.)`);
  }
  return {
    intent: { kind: 'force', version: versions[n - 1]! },
    title: `baseline${given ? ` ${given}` : ''}: record ${count(n)} as applied without running ${n === 1 ? 'it' : 'them'}`,
    summary: `Nothing is run. In ${terms.table} it writes ${terms.meaning}.`,
    steps: [],
    moreSteps: 0,
    confirm: { kind: 'yes' },
    findings: [],
    signature: `baseline:${versions.join(',')}`,
    warning,
    notes,
    baseline: { versions, ...(given !== undefined ? { given } : {}) },
  };
}
