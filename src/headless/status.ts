import type { Project } from '../engine/project.js';
import type { Status, StatusRow } from '../engine/status.js';
import { markNeverRun, problemText, STATE_MARKERS, toolWord, type NeverRunCheck } from '../engine/status.js';
import { compareNumeric } from '../formats/types.js';
import type { CliIO } from './io.js';
import { toJson } from './json.js';
import { NIL_VERSION } from '../formats/types.js';


export async function statusCommand(project: Project, io: CliIO, json: boolean): Promise<number> {
  const state = await project.readState();
  const status = project.status(state);
  // golang-migrate counts every version below the current one as applied; the journal knows better.
  const steps = project.journal && project.tracking.countsBelowCurrent && state.version !== NIL_VERSION ? await project.journal.steps(project.session.client) : [];
  const check = steps.length > 0 ? markNeverRun(status, steps) : undefined; // no journal: Ladder has not run here, nothing to say
  // Compact: pretty-printing 10,000 rows costs more than the rest of the command; pipe to jq to read it.
  if (json) {
    const doc = toJson({ ...statusJson(project, status), ...(check ? { journalReachesBack: check.reachesBack } : {}) }, 0);
    // JSON escapes every quote inside a string, so this is where the rows' array starts, never inside a value.
    const rowsAt = doc.indexOf(',"migrations":[');
    writeApart(io, doc.slice(0, rowsAt), doc.slice(rowsAt) + '\n');
  } else {
    const { head, body } = statusParts(project, status);
    writeApart(io, head, body + (check ? journalNote(status, check) : ''));
  }
  return 0;
}

/**
 * The part naming the database (its URL) and the rows, written apart: every write is redacted, and
 * redacting 10,000 rows in the same text as a URL meant running the URL patterns over all of them.
 */
function writeApart(io: CliIO, head: string, rows: string): void {
  io.out(head);
  io.out(rows);
}

export function statusJson(project: Project, status: Status) {
  return {
    format: project.format,
    detected: project.detection.reason,
    ...(project.detection.ambiguous ? { ambiguous: project.detection.ambiguous } : {}),
    // golang-migrate's (-1, dirty) is a state of its own, not "nothing applied".
    version: status.version === NIL_VERSION && !status.dirty ? null : status.version,
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

/** Where the journal cannot tell whether a version below the current one ran. */
function journalNote(status: Status, check: NeverRunCheck): string {
  const before = status.rows.filter((r) => r.state === 'applied' && !r.current && (check.reachesBack === null || compareNumeric(r.version, check.reachesBack) <= 0));
  if (before.length === 0) return '';
  const where = check.reachesBack === null ? 'has no unbroken record up to now' : `reaches back to version ${check.reachesBack}`;
  const which = before.length === 1 ? `version ${before[0]!.version}` : check.reachesBack === null ? `the ${before.length} versions below the current one` : `versions up to ${check.reachesBack} (${before.length} of them)`;
  return `Ladder's journal ${where}: for ${which} it cannot tell whether ${before.length === 1 ? 'it' : 'each'} really ran (golang-migrate counts every version below the current one as applied).\n`;
}

/** The state in the tool's own word when it has one ("installed (different checksum)", "Outdated"). */
function stateText(r: StatusRow): string {
  const word = toolWord(r);
  return word ? `${r.state}: ${word}` : r.state;
}

/** Status as text: the header (database, folder, format, table, version) and the rows with what follows. */
function statusParts(project: Project, status: Status): { head: string; body: string } {
  const header: string[] = [];
  const version =
    status.version === NIL_VERSION
      ? status.dirty
        ? '-1 (dirty: no version recorded; the down of the first migration failed part-way)'
        : 'none (nothing applied yet)'
      : `${status.version}${status.dirty ? ' (dirty)' : ''}`;
  header.push(`database  ${project.target.display}`);
  header.push(`folder    ${project.listing.dir} (${project.format}, ${project.listing.migrations.length} migrations)`);
  header.push(`format    ${project.format}: ${project.detection.reason}`);
  header.push(`table     ${project.tracking.table}`);
  header.push(`version   ${version}`);
  header.push('');
  const lines: string[] = [];
  // One pass for the column widths, one for the lines: 10,000 rows are the common large case.
  const { rows } = status;
  const states = new Array<string>(rows.length);
  let width = 7;
  let sw = 7;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const state = r.label === undefined ? r.state : stateText(r);
    states[i] = state;
    if (state.length > sw) sw = state.length;
    if (r.version.length > width) width = r.version.length;
  }
  lines.push(`   ${'VERSION'.padStart(width)}  ${'STATE'.padEnd(sw)}  NAME`);
  const pad = `   ${' '.repeat(width)}  ${''.padEnd(sw)}  `;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    const problems = r.problems.length > 0;
    const name = r.state === 'missing' ? `${r.name ? `${r.name} ` : ''}(file missing)` : r.name;
    lines.push(`${STATE_MARKERS[r.state]}${problems ? '!' : ' '} ${(r.repeatable ? 'R' : r.version).padStart(width)}  ${states[i]!.padEnd(sw)}  ${name}${r.current ? '  <- current' : ''}`);
    if (r.checksum) lines.push(`${pad}! checksum in the table ${r.checksum.stored}, file now ${r.checksum.local}`);
    if (problems) for (const p of r.problems) for (const [j, l] of p.split('\n').entries()) lines.push(`${pad}${j === 0 ? '! ' : '  '}${l}`);
  }
  if (status.rows.length === 0) lines.push(`   (no migration files in ${project.listing.dir})`);
  // Problems of the folder as a whole (a file the tool cannot read stops it from running anything).
  const formatProblems = status.problems.filter((p) => p.kind === 'format');
  const onRows = formatProblems.length > 0 ? new Set(rows.map((r) => r.version)) : undefined;
  const general = formatProblems.filter((p) => p.version === undefined || !onRows!.has(p.version));
  if (general.length > 0) {
    lines.push('');
    for (const p of general) lines.push(`! ${problemText(p)}`);
  }
  let pending = 0;
  for (const r of rows) if (r.state === 'pending') pending++;
  lines.push('');
  if (status.dirty && project.tracking.model === 'version')
    lines.push(`The database is dirty at version ${status.version}${status.version === NIL_VERSION ? ' (the down of the first migration failed part-way)' : ''}: a migration failed part-way, and nothing runs until it is resolved. "ladder recover" explains what happened and the ways out.`);
  else if (status.dirty) {
    const failed = status.rows.find((r) => r.state === 'dirty');
    lines.push(`Version ${failed?.version ?? '?'} failed part-way (its row says success = false). Fix the schema by hand, then "ladder repair" removes the failed row (so "ladder up" retries it), or "ladder force ${failed?.version ?? 'V'}" records it as done.`);
  }
  else lines.push(pending === 0 ? 'Up to date.' : `${pending} pending. "ladder up" applies ${pending === 1 ? 'it' : 'them'}.`);
  return { head: header.join('\n') + '\n', body: lines.join('\n') + '\n' };
}
