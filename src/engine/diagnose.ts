import { readFile } from 'node:fs/promises';
import type { DbState, Queryable, SourceListing } from '../formats/types.js';
import { splitStatements, statementAtIndex, type ObjectRef, type SqlStatement } from '../db/statements.js';
import { objectsExist } from '../db/object-check.js';
import { fileEffects, guessFailingStatement, type FileEffects, type StatementFate } from './effects.js';
import type { JournalEntry } from './journal.js';
import { sha256 } from './journal.js';
import { candidatesFor, recoveryOptions, type Candidate, type RecoveryOption } from './recovery.js';

export interface ObjectStatus extends ObjectRef {
  /** null: the catalog could not be checked. */
  existsNow: boolean | null;
}

export interface StatementReport {
  index: number;
  startLine: number;
  endLine: number;
  text: string;
  fate: StatementFate;
  objects: ObjectStatus[];
}

export interface CandidateReport {
  candidate: Candidate;
  /** The journal says this step failed; otherwise it is one of two possibilities. */
  certain: boolean;
  journal?: JournalEntry;
  error?: { message: string; line?: number; column?: number; sqlstate?: string };
  /** The file now differs from the one that failed (SHA-256 from the journal). undefined: unknown. */
  fileChanged?: boolean;
  fileMissing: boolean;
  /** The file could not be parsed (a syntax error: PostgreSQL then ran none of it). */
  parseError?: { message: string; line?: number; column?: number };
  effects?: FileEffects;
  statements: StatementReport[];
  options: RecoveryOption[];
}

export interface RecoveryCase {
  state: DbState;
  source: 'journal' | 'inferred';
  explanation: string;
  candidates: CandidateReport[];
}

/**
 * Explains a dirty database: which step failed (from Ladder's journal, or both possibilities when it has
 * no record), what PostgreSQL kept of the file, which objects exist now, and the ways out.
 */
export async function diagnose(db: Queryable, listing: SourceListing, state: DbState, history: JournalEntry[]): Promise<RecoveryCase | null> {
  if (!state.dirty) return null;
  const candidates = candidatesFor(listing, state);
  const entry = failedEntry(history, state);
  const match = entry && candidates.find((c) => c.direction === entry.direction && c.version === entry.version);
  const chosen = match ? [match] : candidates;
  const reports: CandidateReport[] = [];
  for (const c of chosen) reports.push(await report(db, listing, c, match ? entry : undefined));
  let explanation: string;
  if (match && entry) {
    explanation =
      `Ladder's journal (entry #${entry.id}, ${entry.startedAt.slice(0, 19)}, ${entry.dbUser}/${entry.applicationName}) shows that ${entry.direction} ${entry.version}` +
      `${entry.name ? ` ${entry.name}` : ''} ${entry.outcome === 'failed' ? 'failed' : `was ${entry.outcome}`}${entry.error ? `: ${entry.error}` : ''}.`;
  } else if (candidates.length === 2) {
    explanation =
      `The database is dirty at version ${state.version}, and Ladder has no record of how it got there (another tool, or -no-journal). ` +
      `golang-migrate leaves this state in two ways: up ${candidates[0]!.version} failed part-way, or down ${candidates[1]!.version} failed part-way. ` +
      `Both are described below; the objects that exist now tell them apart.`;
  } else if (candidates.length === 1) {
    const c = candidates[0]!;
    explanation = `The database is dirty at version ${state.version}, and Ladder has no record of how it got there; the only step that leaves this state is ${c.direction} ${c.version}.`;
  } else {
    explanation = `The database is dirty at version ${state.version}, which no file in the folder has. Record a version that exists with force once the schema is right.`;
  }
  return { state, source: match ? 'journal' : 'inferred', explanation, candidates: reports };
}

/** The newest journal entry that could have left this dirty state (nothing clean recorded after it). */
function failedEntry(history: JournalEntry[], state: DbState): JournalEntry | undefined {
  const newest = history[0];
  if (!newest || newest.outcome === 'ok') return undefined;
  return newest.targetVersion === state.version ? newest : undefined;
}

async function report(db: Queryable, listing: SourceListing, c: Candidate, entry: JournalEntry | undefined): Promise<CandidateReport> {
  const base = { candidate: c, certain: Boolean(entry), journal: entry, fileMissing: !c.file, statements: [] as StatementReport[] };
  const error = entry?.error ? { message: entry.error, line: entry.errorLine ?? undefined, column: entry.errorColumn ?? undefined, sqlstate: entry.sqlstate ?? undefined } : undefined;
  if (!c.file) return { ...base, error, options: recoveryOptions(listing, c) };
  const sql = await readFile(c.file.path, 'utf8').catch(() => null);
  if (sql === null) return { ...base, error, fileMissing: true, options: recoveryOptions(listing, c) };
  const fileChanged = entry?.fileSha256 ? entry.fileSha256 !== sha256(sql) : undefined;
  const split = await splitStatements(sql);
  if (!split.ok) {
    const at = split.position ? lineColumnOf(sql, split.position) : undefined;
    const effects: FileEffects = {
      mode: 'rejected-before-running',
      fates: [],
      located: 'position',
      summary: 'The file has a syntax error, and PostgreSQL parses the whole file before running any of it: nothing took effect.',
      blockedByTransaction: [],
    };
    return { ...base, error, fileChanged, parseError: { message: split.message, ...at }, effects, options: recoveryOptions(listing, c, effects, fileChanged) };
  }
  const statements = split.statements;
  let failedIndex: number | undefined;
  let located: FileEffects['located'] = 'unknown';
  if (entry && fileChanged !== true) {
    if (error?.line) {
      failedIndex = statementAtLine(statements, sql, error.line, error.column ?? 1);
      located = 'position';
    } else if (error) {
      failedIndex = guessFailingStatement(statements, error.message, error.sqlstate);
      located = failedIndex === undefined ? 'unknown' : 'identifier';
    }
  }
  const effects = fileEffects(statements, failedIndex, located);
  const all = statements.flatMap((s) => s.objects);
  const exists: (boolean | null)[] = await objectsExist(db, all).catch(() => all.map(() => null));
  let k = 0;
  const reports: StatementReport[] = statements.map((s: SqlStatement, i) => ({
    index: s.index,
    startLine: s.startLine,
    endLine: s.endLine,
    text: s.text,
    fate: effects.fates[i] ?? 'unknown',
    objects: s.objects.map((o) => ({ ...o, existsNow: exists[k++]! })),
  }));
  return { ...base, error, fileChanged, effects, statements: reports, options: recoveryOptions(listing, c, effects, fileChanged) };
}

function statementAtLine(statements: SqlStatement[], sql: string, line: number, column: number): number | undefined {
  let index = 0;
  for (let l = 1; l < line; l++) {
    const nl = sql.indexOf('\n', index);
    if (nl < 0) return undefined;
    index = nl + 1;
  }
  return statementAtIndex(statements, index + column - 1)?.index;
}

function lineColumnOf(sql: string, position: number): { line: number; column: number } {
  const before = Array.from(sql).slice(0, position - 1).join('');
  const lines = before.split('\n');
  return { line: lines.length, column: Array.from(lines[lines.length - 1]!.replace(/\r$/, '')).length + 1 };
}
