import type { CliIO } from './io.js';
import type { Project } from '../engine/project.js';
import { lastStepDiff } from '../engine/step-diff.js';

/** ladder diff V: what V's last run changed in the schema (from the journal). */
export async function diffCommand(project: Project, io: CliIO, version: string, json: boolean): Promise<number> {
  const { entry, changes, why } = await lastStepDiff(project, version);
  if (json) {
    io.out(JSON.stringify({ version: entry.version, name: entry.name, direction: entry.direction, outcome: entry.outcome, startedAt: entry.startedAt, changes, why }, null, 2) + '\n');
    return changes ? 0 : 1;
  }
  const head = `${entry.direction} ${entry.version} ${entry.name} (journal #${entry.id}, ${entry.startedAt}, ${entry.outcome})`;
  if (!changes) {
    io.err(`error: no schema diff for ${head}: ${why}.\n`);
    return 1;
  }
  io.out(`${head}:\n`);
  if (changes.length === 0) io.out('  no schema change\n');
  for (const c of changes) io.out(`  ${c.text}\n`);
  return 0;
}
