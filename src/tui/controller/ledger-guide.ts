import type { Project } from '../../engine/project.js';
import type { LedgerGuide, LedgerWayOut, UiState } from '../state.js';

/**
 * Set-tracking tools: the failed row, in the tool's words, and the ways out (the tool's repair, or
 * force: record it done), each made by the project's planner and shown as a plan before it runs.
 * Null when no row has failed.
 */
export function ledgerGuide(s: UiState, project: Project): LedgerGuide | null {
  const state = s.db.state;
  const row = s.items.find((r) => r.state === 'dirty');
  if (!state || !row) return null;
  const tool = s.info.tool ?? s.info.format;
  const table = project.tracking.table;
  const ways: LedgerWayOut[] = [];
  const repair = project.plan(state, { kind: 'repair' });
  if (repair.ok) {
    const steps = repair.plan.steps.flatMap((st) => (st.kind === 'record' ? [st] : []));
    const mine = steps.find((st) => st.version === row.version) ?? steps[0];
    const more = steps.length - 1;
    if (mine)
      ways.push({
        label: `Repair: ${mine.text}${more > 0 ? ` (and ${more} more repair${more === 1 ? '' : 's'}, listed in the plan)` : ''}`,
        consequence: `Runs no migration SQL. ${row.version} is pending again afterwards: fix what it left in the schema (or the file), then u runs it again.`,
        intent: { kind: 'repair' },
      });
  }
  if (s.byVersion.has(row.version) && project.plan(state, { kind: 'force', version: row.version }).ok)
    ways.push({
      label: `Mark ${row.version} as done: record it applied without running it (force)`,
      consequence: `Only if its work is complete (you finished it by hand). This ${project.tracking.forceMeaning}.`,
      intent: { kind: 'force', version: row.version },
    });
  ways.push({
    label: 'Leave it for now (f brings this back)',
    consequence: `Changes nothing. ${tool} refuses to migrate while ${table} holds a failed row.`,
    intent: null,
  });
  return { key: row.version, name: row.name, label: row.label ?? 'failed', problems: row.problems, ways };
}
