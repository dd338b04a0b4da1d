import type { Project } from '../engine/project.js';
import type { Status, StatusRow } from '../engine/status.js';
import { problemText, STATE_MARKERS, toolWord } from '../engine/status.js';
import type { CliIO } from '../cli/io.js';
import { toJson } from './json.js';
import { NIL_VERSION } from '../formats/types.js';


export async function statusCommand(project: Project, io: CliIO, json: boolean): Promise<number> {
  const state = await project.readState();
  const status = project.status(state);
  // Compact: pretty-printing 10,000 rows costs more than the rest of the command; pipe to jq to read it.
  if (json) io.out(toJson(statusJson(project, status), 0) + '\n');
  else io.out(statusText(project, status));
  return 0;
}

export function statusJson(project: Project, status: Status) {
  return {
    format: project.format,
    detected: project.detection.reason,
    ...(project.detection.ambiguous ? { ambiguous: project.detection.ambiguous } : {}),
    version: status.version === NIL_VERSION ? null : status.version,
    dirty: status.dirty,
    database: project.target.display,
    table: project.tracking.table,
    path: project.listing.dir,
    migrations: status.rows.map((r) => ({
      // A Flyway repeatable has no version (as flyway info shows it); its key identifies it.
      version: r.repeatable ? null : r.version,
      ...(r.repeatable ? { key: r.version } : {}),
      name: r.name,
      state: r.state,
      up: r.up,
      down: r.down,
      current: r.current,
      ...(r.label !== undefined ? { label: r.label } : {}),
      ...(r.checksum ? { checksum: r.checksum } : {}),
      ...(r.repeatable ? { repeatable: true } : {}),
      problems: r.problems,
    })),
    problems: status.problems.map(problemText),
  };
}

/** The state in the tool's own word when it has one ("installed (different checksum)", "Outdated"). */
function stateText(r: StatusRow): string {
  const word = toolWord(r);
  return word ? `${r.state}: ${word}` : r.state;
}

export function statusText(project: Project, status: Status): string {
  const lines: string[] = [];
  const version = status.version === NIL_VERSION ? 'none (nothing applied yet)' : `${status.version}${status.dirty ? ' (dirty)' : ''}`;
  lines.push(`database  ${project.target.display}`);
  lines.push(`folder    ${project.listing.dir} (${project.format}, ${project.listing.migrations.length} migrations)`);
  lines.push(`format    ${project.format}: ${project.detection.reason}`);
  lines.push(`table     ${project.tracking.table}`);
  lines.push(`version   ${version}`);
  lines.push('');
  const width = Math.max(7, ...status.rows.map((r) => String(r.version).length));
  const sw = Math.max(7, ...status.rows.map((r) => stateText(r).length));
  lines.push(`   ${'VERSION'.padStart(width)}  ${'STATE'.padEnd(sw)}  NAME`);
  for (const r of status.rows) {
    const flag = r.problems.length > 0 ? '!' : ' ';
    const cur = r.current ? '  <- current' : '';
    const name = r.state === 'missing' ? `${r.name ? `${r.name} ` : ''}(file missing)` : r.name;
    lines.push(`${STATE_MARKERS[r.state]}${flag} ${(r.repeatable ? 'R' : String(r.version)).padStart(width)}  ${stateText(r).padEnd(sw)}  ${name}${cur}`);
    const pad = `   ${' '.repeat(width)}  ${''.padEnd(sw)}  `;
    if (r.checksum) lines.push(`${pad}! checksum in the table ${r.checksum.stored}, file now ${r.checksum.local}`);
    for (const p of r.problems) for (const [i, l] of p.split('\n').entries()) lines.push(`${pad}${i === 0 ? '! ' : '  '}${l}`);
  }
  if (status.rows.length === 0) lines.push(`   (no migration files in ${project.listing.dir})`);
  // Problems of the folder as a whole (a file the tool cannot read stops it from running anything).
  const onRows = new Set(status.rows.map((r) => r.version));
  const general = status.problems.filter((p) => p.kind === 'format' && (p.version === undefined || !onRows.has(p.version)));
  if (general.length > 0) {
    lines.push('');
    for (const p of general) lines.push(`! ${problemText(p)}`);
  }
  const pending = status.rows.filter((r) => r.state === 'pending').length;
  lines.push('');
  if (status.dirty && project.guidedRecovery)
    lines.push(`The database is dirty at version ${status.version}: a migration failed part-way, and nothing runs until it is resolved. "ladder recover" explains what happened and the ways out.`);
  else if (status.dirty) {
    const failed = status.rows.find((r) => r.state === 'dirty');
    lines.push(`Version ${failed?.version ?? '?'} failed part-way (its row says success = false). Fix the schema by hand, then "ladder repair" removes the failed row (so "ladder up" retries it), or "ladder force ${failed?.version ?? 'V'}" records it as done.`);
  }
  else lines.push(pending === 0 ? 'Up to date.' : `${pending} pending. "ladder up" applies ${pending === 1 ? 'it' : 'them'}.`);
  return lines.join('\n') + '\n';
}
