import type { JournalEntry } from '../engine/journal.js';
import { STATE_MARKERS, toolWord, type StatusRow } from '../engine/status.js';
import type { Migration } from '../formats/types.js';
import { durationText, entryStep, OUTCOME_MARK } from './history-lines.js';
import type { SqlDocument } from './sql-document.js';
import { wrapLines } from './text.js';

export type DetailViewLine = { kind: 'title' | 'text' | 'heading' | 'quiet'; text: string } | { kind: 'sql'; doc: SqlDocument; line: number; gutter: number } | { kind: 'blank' };

const DETAIL_SQL_LINES = 400;

const STATE_TEXT: Record<StatusRow['state'], string> = {
  applied: 'applied',
  pending: 'pending',
  dirty: 'dirty: it failed part-way (f shows the ways out)',
  missing: 'applied, but its file is missing from the folder',
  changed: 'applied, but the file changed since',
  outdated: 'its file changed: up runs it again',
  skipped: 'skipped: the tool will not run it as things are',
  'never-run': 'never run: below the current version, so golang-migrate will skip it',
};

/** The selected migration's detail (enter): status, both halves with their SQL, and its journal entries. */
export function detailLines(
  row: StatusRow,
  m: Migration | undefined,
  docs: { up: SqlDocument | null; down: SqlDocument | null },
  journal: JournalEntry[] | null,
  inner: number,
  diff: { status: 'loading' | 'ready'; lines: string[] } | null = null,
): DetailViewLine[] {
  const out: DetailViewLine[] = [];
  const wrap = (kind: 'title' | 'text' | 'heading' | 'quiet', text: string) => {
    for (const t of wrapLines(text, Math.max(10, inner), Number.MAX_SAFE_INTEGER)) out.push({ kind, text: t });
  };
  wrap('title', `${STATE_MARKERS[row.state]} ${row.repeatable ? 'R' : row.version} ${row.name}${row.current ? '  ◀ current' : ''}`);
  const word = toolWord(row);
  wrap('text', `Status: ${STATE_TEXT[row.state]}${word ? ` (${word})` : ''}.`);
  for (const p of row.problems) wrap('text', `! ${p}`);
  if (row.checksum) wrap('quiet', `checksum stored ${row.checksum.stored || '(none)'}, file ${row.checksum.local || '(none)'}`);
  out.push({ kind: 'blank' });
  // What the last run changed in the schema (ladder diff V): the journal row's before/after pictures.
  if (diff === null || diff.status === 'loading') wrap('heading', 'What its last run changed: reading…');
  else {
    wrap('heading', 'What its last run changed:');
    for (const l of diff.lines) wrap('text', `  ${l}`);
  }
  for (const half of ['up', 'down'] as const) {
    out.push({ kind: 'blank' });
    const file = m?.[half];
    if (!file) {
      wrap('heading', `${half}: no file`);
      continue;
    }
    const doc = docs[half];
    wrap('heading', `${half}: ${file.path}${doc ? ` (${doc.lineCount} line${doc.lineCount === 1 ? '' : 's'})` : ''}`);
    if (!doc) {
      out.push({ kind: 'quiet', text: 'reading…' });
      continue;
    }
    const gutter = String(doc.firstLine + doc.lineCount).length;
    const shown = Math.min(doc.lineCount, DETAIL_SQL_LINES);
    for (let i = 0; i < shown; i++) out.push({ kind: 'sql', doc, line: i, gutter });
    if (doc.lineCount > shown) out.push({ kind: 'quiet', text: `… ${doc.lineCount - shown} more lines (the SQL preview shows all of it)` });
  }
  out.push({ kind: 'blank' });
  const mine = journal?.filter((e) => e.version === row.version) ?? null;
  if (mine === null) wrap('heading', 'Journal: reading…');
  else if (mine.length === 0) wrap('heading', "Journal: no step of this migration recorded in Ladder's journal.");
  else {
    wrap('heading', `Journal (${mine.length}, newest first):`);
    for (const e of mine) wrap('text', `${OUTCOME_MARK[e.outcome]} ${e.startedAt}  ${entryStep(e)}  ${durationText(e.durationMs, e.outcome)}${e.error ? `  ${e.error}` : ''}`);
  }
  return out;
}
