import type { Project } from '../engine/project.js';
import type { JournalEntry } from '../engine/journal.js';
import type { CliIO } from './io.js';
import { toJson } from './json.js';
import { listJournal } from '../engine/journal-live.js';
import { shownOutcome } from '../engine/journal-outcome.js';

export async function historyCommand(project: Project, io: CliIO, json: boolean, limit: number): Promise<number> {
  const journal = project.journal;
  if (!journal) {
    if (json) io.out(toJson({ table: null, entries: [] }) + '\n');
    else io.out(`Ladder keeps no step journal for ${project.format} projects: the history is ${project.tracking.table} itself ("ladder status" shows it).\n`);
    return 0;
  }
  const entries = await listJournal(project.session.client, journal, project.tracking.lockId, limit);
  if (json) {
    io.out(toJson({ table: journal.table, entries }) + '\n');
    return 0;
  }
  if (entries.length === 0) {
    io.out(`No steps recorded in ${journal.table} yet (Ladder records each step it runs unless -no-journal is given).\n`);
    return 0;
  }
  for (const e of entries) io.out(historyLine(e) + '\n');
  return 0;
}

export function historyLine(e: JournalEntry): string {
  const what = e.direction === 'force' ? e.name || `force ${e.version}` : `${e.direction} ${e.version} ${e.name}`;
  const took = e.durationMs !== null ? ` (${e.durationMs} ms)` : '';
  const where = e.errorLine ? ` at line ${e.errorLine}${e.errorColumn ? `:${e.errorColumn}` : ''}` : '';
  const err = e.error ? `: ${e.error}${where}` : '';
  return `#${e.id} ${e.startedAt.slice(0, 19)} ${shownOutcome(e).padEnd(11)} ${what}${took} by ${e.dbUser}/${e.applicationName}${err}`;
}
