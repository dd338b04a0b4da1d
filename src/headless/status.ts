import type { Project } from '../engine/project.js';
import { computeStatus, type Status, type StatusRow } from '../engine/status.js';
import { problemText } from '../engine/status.js';
import type { CliIO } from '../cli/io.js';
import { toJson } from './json.js';
import { NIL_VERSION } from '../formats/types.js';

export const MARKERS: Record<StatusRow['state'], string> = { applied: '✓', pending: '·', dirty: '✗', missing: '?' };

export async function statusCommand(project: Project, io: CliIO, json: boolean): Promise<number> {
  const state = await project.readState();
  const status = computeStatus(project.listing, state);
  // Compact: pretty-printing 10,000 rows costs more than the rest of the command; pipe to jq to read it.
  if (json) io.out(toJson(statusJson(project, status), 0) + '\n');
  else io.out(statusText(project, status));
  return 0;
}

export function statusJson(project: Project, status: Status) {
  return {
    format: project.format,
    version: status.version === NIL_VERSION ? null : status.version,
    dirty: status.dirty,
    database: project.target.display,
    table: project.tracker.table,
    path: project.listing.dir,
    migrations: status.rows.map((r) => ({
      version: r.version,
      name: r.name,
      state: r.state,
      up: r.up,
      down: r.down,
      current: r.current,
      problems: r.problems,
    })),
    problems: status.problems.map(problemText),
  };
}

export function statusText(project: Project, status: Status): string {
  const lines: string[] = [];
  const version = status.version === NIL_VERSION ? 'none (nothing applied yet)' : `${status.version}${status.dirty ? ' (dirty)' : ''}`;
  lines.push(`database  ${project.target.display}`);
  lines.push(`folder    ${project.listing.dir} (${project.format}, ${project.listing.migrations.length} migrations)`);
  lines.push(`table     ${project.tracker.table}`);
  lines.push(`version   ${version}`);
  lines.push('');
  const width = Math.max(7, ...status.rows.map((r) => String(r.version).length));
  lines.push(`   ${'VERSION'.padStart(width)}  ${'STATE'.padEnd(7)}  NAME`);
  for (const r of status.rows) {
    const flag = r.problems.length > 0 ? '!' : ' ';
    const cur = r.current ? '  <- current' : '';
    const name = r.state === 'missing' ? '(file missing)' : r.name;
    lines.push(`${MARKERS[r.state]}${flag} ${String(r.version).padStart(width)}  ${r.state.padEnd(7)}  ${name}${cur}`);
    for (const p of r.problems) lines.push(`   ${' '.repeat(width)}  ${''.padEnd(7)}  ! ${p}`);
  }
  if (status.rows.length === 0) lines.push(`   (no migration files in ${project.listing.dir})`);
  const pending = status.rows.filter((r) => r.state === 'pending').length;
  lines.push('');
  if (status.dirty)
    lines.push(`The database is dirty at version ${status.version}: a migration failed part-way, and nothing runs until it is resolved. "ladder recover" explains what happened and the ways out.`);
  else lines.push(pending === 0 ? 'Up to date.' : `${pending} pending. "ladder up" applies ${pending === 1 ? 'it' : 'them'}.`);
  return lines.join('\n') + '\n';
}
