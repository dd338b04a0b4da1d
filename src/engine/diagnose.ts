import { readFile } from 'node:fs/promises';
import type { DbState, Queryable, SourceListing } from '../formats/types.js';
import { splitStatements, statementAtIndex, type ObjectRef, type SqlStatement } from '../db/statements.js';
import { objectStates, describeObject } from '../db/object-check.js';
import { fileEffects, guessFailingStatement, type FileEffects, type StatementFate } from './effects.js';
import type { JournalEntry } from './journal.js';
import { sha256 } from './journal.js';
import { attemptsSince, combineFates, verdictOf, type Committed, type Evidence } from './evidence.js';
import { candidatesFor, neverRunCandidate, recoveryOptions, type Candidate, type RecoveryOption, type StepEvidence } from './recovery.js';
import type { MigrationFile } from '../formats/types.js';

export interface ObjectStatus extends ObjectRef {
  /** null: the catalog could not be checked. */
  existsNow: boolean | null;
  /** Indexes: whether the index is valid (an unfinished CREATE INDEX CONCURRENTLY leaves it invalid). */
  validNow?: boolean;
  /** Whether this object is in the state the statement leaves it in (created: there; dropped: gone). null: not evidence. */
  inPlace?: boolean | null;
}

export interface StatementReport {
  index: number;
  startLine: number;
  endLine: number;
  text: string;
  fate: StatementFate;
  /** What the fate rests on. */
  evidence?: Evidence;
  /** Set when the catalog contradicts what the run's protocol implies (the catalog wins). */
  note?: string;
  objects: ObjectStatus[];
}

export interface CandidateReport {
  candidate: Candidate;
  /** The journal says this step failed; otherwise it is one of two possibilities. */
  certain: boolean;
  journal?: JournalEntry;
  /** Every attempt of this step since the database was last clean, newest first (from the journal). */
  attempts?: JournalEntry[];
  error?: { message: string; line?: number; column?: number; sqlstate?: string; detail?: string; hint?: string };
  /** The file now differs from the one that failed (SHA-256 from the journal). undefined: unknown. */
  fileChanged?: boolean;
  fileMissing: boolean;
  /** The file could not be parsed (a syntax error: PostgreSQL then ran none of it). */
  parseError?: { message: string; line?: number; column?: number };
  effects?: FileEffects;
  statements: StatementReport[];
  /** Whether the file's work is in the database now: all of it, none, part, or unknown. */
  committed?: Committed;
  /** How Ladder knows (one sentence). */
  basis?: string;
  /** What of the file is already in the database (for the confirmation of a way out that could run it again). */
  alreadyThere?: string[];
  options: RecoveryOption[];
}

export interface RecoveryCase {
  state: DbState;
  /** The first line of the guide, when it is not "dirty at version V" (tools without a dirty flag). */
  headline?: string;
  source: 'journal' | 'inferred';
  explanation: string;
  candidates: CandidateReport[];
}

/**
 * Explains a dirty database: which step failed (from Ladder's journal, or both possibilities when it has
 * no record), what of the file is in the database now (the catalog, checked per statement, combined with
 * every attempt the journal recorded), and the ways out that follow from it.
 */
export async function diagnose(db: Queryable, listing: SourceListing, state: DbState, history: JournalEntry[]): Promise<RecoveryCase | null> {
  if (!state.dirty) return null;
  const entry = failedEntry(history, state);
  const candidates = [...neverRunCandidate(listing, state, entry), ...candidatesFor(listing, state)];
  const match = entry && candidates.find((c) => c.direction === entry.direction && c.version === entry.version);
  const chosen = match ? [match] : candidates;
  const reports: CandidateReport[] = [];
  const ways: WaysOut = (c, ev) => recoveryOptions(listing, c, ev);
  for (const c of chosen) reports.push(await stepReport(db, c, match ? entry : undefined, match ? attemptsSince(history, entry!) : [], ways));
  let explanation: string;
  if (match && entry) {
    const what = `${entry.direction} ${entry.version}${entry.name ? ` ${entry.name}` : ''}`;
    const how =
      entry.outcome === 'failed'
        ? `failed${entry.error ? `: ${entry.error}` : ''}`
        : entry.outcome === 'running' || entry.outcome === 'interrupted'
          ? 'was interrupted before Ladder saw it finish (the process was killed, or the connection or server went away)'
          : `was ${entry.outcome}${entry.error ? `: ${entry.error}` : ''}`;
    explanation = `Ladder's journal (entry #${entry.id}, ${entry.startedAt.slice(0, 19)}, ${entry.dbUser}/${entry.applicationName}) shows that ${what} ${how}.`;
  } else if (candidates.length === 2) {
    explanation =
      `The database is dirty at ${state.version === '-1' ? 'version -1 (no version: the down of the first migration failed)' : `version ${state.version}`}, and Ladder has no record of how it got there (another tool, or -no-journal). ` +
      `golang-migrate leaves this state in two ways: up ${candidates[0]!.version} failed part-way, or down ${candidates[1]!.version} failed part-way. ` +
      `Both are described below; the objects that exist now tell them apart.`;
  } else if (candidates.length === 1) {
    const c = candidates[0]!;
    const at = state.version === '-1' ? 'version -1 (no version recorded, but dirty: the down of the first migration failed)' : `version ${state.version}`;
    explanation = `The database is dirty at ${at}, and Ladder has no record of how it got there; the only step that leaves this state is ${c.direction} ${c.version}.`;
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

/** The ways out of one failed step, in the tool's terms, given what the evidence says. */
export type WaysOut = (c: Candidate, ev: StepEvidence) => RecoveryOption[];

/**
 * The text the step ran, with its statements numbered as in the file: a section of a file (dbmate's
 * up or down) is preceded by as many empty lines as the file has before it. sha256 is over the text
 * the step ran (what the journal recorded).
 */
async function stepBody(file: MigrationFile): Promise<{ sql: string; sha: string } | null> {
  const text = await readFile(file.path, 'utf8').catch(() => null);
  if (text === null || file.sql === undefined) return text === null ? null : { sql: text, sha: sha256(text) };
  const at = text.indexOf(file.sql);
  const lines = at > 0 ? text.slice(0, at).split('\n').length - 1 : 0;
  return { sql: '\n'.repeat(lines) + file.sql, sha: sha256(file.sql) };
}

/** What one failed step left behind, statement by statement, and the ways out the evidence allows. */
export async function stepReport(db: Queryable, c: Candidate, entry: JournalEntry | undefined, attempts: JournalEntry[], ways: WaysOut): Promise<CandidateReport> {
  const base = { candidate: c, certain: Boolean(entry), journal: entry, attempts, fileMissing: !c.file, statements: [] as StatementReport[], alreadyThere: [] as string[] };
  const error = entry?.error
    ? {
        message: entry.error,
        line: entry.errorLine ?? undefined,
        column: entry.errorColumn ?? undefined,
        sqlstate: entry.sqlstate ?? undefined,
        ...(entry.errorDetail ? { detail: entry.errorDetail } : {}),
        ...(entry.errorHint ? { hint: entry.errorHint } : {}),
      }
    : undefined;
  const interrupted = entry !== undefined && (entry.outcome === 'cancelled' || entry.outcome === 'interrupted' || entry.outcome === 'running');
  if (!c.file) {
    const basis = 'This half of the migration has no file, so the step ran nothing.';
    return { ...base, error, committed: 'all', basis, options: ways(c, { committed: 'all', interrupted }) };
  }
  const body = await stepBody(c.file);
  const sql = body?.sql ?? null;
  if (body === null || sql === null) {
    const basis = 'The file cannot be read now, so Ladder cannot check what of it is in the database.';
    return { ...base, error, fileMissing: true, committed: 'unknown', basis, options: ways(c, { committed: 'unknown', interrupted }) };
  }
  const fileChanged = entry?.fileSha256 ? entry.fileSha256 !== body.sha : undefined;
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
    const committed: Committed = fileChanged === true ? 'unknown' : 'none';
    const basis = fileChanged === true ? 'The file changed since it ran and does not parse now; Ladder cannot tell what the version that ran did.' : effects.summary;
    return { ...base, error, fileChanged, parseError: { message: split.message, ...at }, effects, committed, basis, options: ways(c, { committed, fileChanged, interrupted, failedAgain: entry?.outcome === 'failed' }) };
  }
  const statements = split.statements;
  // What the run's protocol says of each statement, per attempt on this same file, combined.
  const sameFile = (a: JournalEntry) => a.fileSha256 === null || a.fileSha256 === body.sha;
  const eachStatement = c.file.eachStatement === true && c.file.transaction === false;
  const perAttempt = attempts.filter(sameFile).map((a) => protocolFates(statements, sql, a, eachStatement));
  // An attempt of an earlier version of the file that provably committed nothing (the whole file was one
  // transaction, and it failed or its 'ok' never committed): the file as it is now never ran.
  const nothing = (a: JournalEntry) => a.doneWrite === 'with-body' && a.outcome !== 'ok';
  const onlyOlder = attempts.length > 0 && attempts.every((a) => !sameFile(a) || nothing(a)) && perAttempt.length === 0 && attempts.every(nothing);
  const protocol = perAttempt.length > 0 ? combineFates(perAttempt.map((p) => p.fates)) : statements.map((): StatementFate => (onlyOlder ? 'not-run' : 'unknown'));
  const effects: FileEffects = perAttempt[0]?.effects ?? (onlyOlder
    ? { mode: 'implicit-transaction', fates: protocol, located: 'unknown', blockedByTransaction: [], summary: 'The file changed since it ran; the version that ran was one transaction that did not commit, so the file as it is now has not run at all.' }
    : fileEffects(statements, undefined, 'unknown', { unknownCommit: true }));
  const all = statements.flatMap((s) => s.objects);
  const now = await objectStates(db, all).catch(() => null);
  let k = 0;
  const lastActor = lastActorOf(statements);
  const withObjects = statements.map((s) =>
    s.objects.map((o): ObjectStatus => {
      const st = now ? now[k]! : null;
      k++;
      const evidence = o.action !== 'alter' && !o.guarded && lastActor.get(keyOf(o)) === s.index;
      const inPlace = !st || !evidence ? null : o.action === 'create' ? st.exists && st.valid !== false : !st.exists;
      return { ...o, existsNow: st ? st.exists : null, ...(st?.valid !== undefined ? { validNow: st.valid } : {}), inPlace };
    }),
  );
  const verdict = verdictOf(statements, protocol, withObjects, effects.mode === 'implicit-transaction' || effects.mode === 'rejected-before-running');
  const reports: StatementReport[] = statements.map((s, i) => ({
    index: s.index,
    startLine: s.startLine,
    endLine: s.endLine,
    text: s.text,
    fate: verdict.fates[i]!,
    evidence: verdict.evidence[i]!,
    ...(verdict.notes[i] ? { note: verdict.notes[i] } : {}),
    objects: withObjects[i]!,
  }));
  const alreadyThere = alreadyThereOf(reports);
  // The run's record, in PostgreSQL's terms, then what the catalog shows now (alone where they disagree).
  const summary = verdict.summary ? (verdict.disagrees || verdict.committed === 'unknown' ? verdict.summary : `${effects.summary} ${verdict.summary}`) : effects.summary;
  return {
    ...base,
    error,
    fileChanged,
    effects: { ...effects, fates: verdict.fates, summary },
    statements: reports,
    committed: verdict.committed,
    basis: verdict.basis,
    alreadyThere,
    options: ways(c, { committed: verdict.committed, fileChanged, interrupted, failedAgain: entry?.outcome === 'failed', alreadyThere, effects }),
  };
}

/** Fates one attempt implies by PostgreSQL's rules for a simple query, given what the journal recorded. */
function protocolFates(statements: SqlStatement[], sql: string, a: JournalEntry, eachStatement = false): { fates: StatementFate[]; effects: FileEffects } {
  if (a.outcome === 'failed' || a.outcome === 'cancelled') {
    let failedIndex: number | undefined;
    let located: FileEffects['located'] = 'unknown';
    if (a.errorLine) {
      failedIndex = statementAtLine(statements, sql, a.errorLine, a.errorColumn ?? 1);
      located = 'position';
    } else if (a.error) {
      failedIndex = guessFailingStatement(statements, a.error, a.sqlstate ?? undefined);
      located = failedIndex === undefined ? 'unknown' : 'identifier';
    }
    const effects = eachStatement ? eachStatementEffects(statements, failedIndex, located) : fileEffects(statements, failedIndex, located);
    return { fates: effects.fates, effects };
  }
  // 'running' / 'interrupted': Ladder never saw the query end.
  const effects = fileEffects(statements, undefined, 'unknown', { unknownCommit: true, doneWithBody: a.doneWrite === 'with-body' || a.doneWrite === 'with-last-tx' });
  return { fates: effects.fates, effects };
}

/**
 * A tool that sends each statement as its own query outside a transaction (a non-transactional Flyway
 * script): every statement before the failing one committed on its own, nothing after it ran.
 */
function eachStatementEffects(statements: SqlStatement[], failedIndex: number | undefined, located: FileEffects['located']): FileEffects {
  if (failedIndex === undefined)
    return {
      mode: 'statement-by-statement',
      fates: statements.map(() => 'unknown'),
      located,
      summary: 'The tool ran the statements one at a time, each committing on its own, and PostgreSQL did not say which one failed: the catalog decides below.',
      blockedByTransaction: [],
    };
  const fates = statements.map((_, i): StatementFate => (i < failedIndex ? 'kept' : i === failedIndex ? 'failed' : 'not-run'));
  const at = statements[failedIndex]!;
  return {
    mode: 'statement-by-statement',
    fates,
    failedIndex,
    located,
    summary: `The tool ran the statements one at a time, each committing on its own: the ${failedIndex} before line ${at.startLine} took effect, the one at line ${at.startLine} failed, and nothing after it ran.`,
    blockedByTransaction: [],
  };
}

/** The statement that acts last on each object: only its action says what the catalog should show now. */
function lastActorOf(statements: SqlStatement[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of statements) for (const o of s.objects) if (o.action !== 'alter') m.set(keyOf(o), s.index);
  return m;
}

function keyOf(o: ObjectRef): string {
  const kind = o.kind === 'view' || o.kind === 'materialized view' || o.kind === 'sequence' || o.kind === 'index' ? 'table' : o.kind;
  return `${kind}|${o.schema ?? ''}|${o.name}|${o.on?.schema ?? ''}|${o.on?.name ?? ''}|${o.args?.join(',') ?? ''}`;
}

function alreadyThereOf(reports: StatementReport[]): string[] {
  const out: string[] = [];
  for (const s of reports) {
    if (s.fate !== 'kept' && s.fate !== 'unknown') continue;
    const placed = s.objects.filter((o) => o.inPlace === true);
    const line = `line ${s.startLine}`;
    if (placed.length > 0) for (const o of placed) out.push(`${describeObject(o)} ${o.action === 'drop' ? 'already dropped' : 'already there'} (${line})`);
    else if (s.objects.every((o) => o.inPlace === null) && s.fate === 'kept') out.push(`the changes of ${s.text.split('\n')[0]!.slice(0, 50)} (${line}) were committed`);
    else if (s.fate === 'unknown' && s.objects.every((o) => o.inPlace === null)) out.push(`${s.text.split('\n')[0]!.slice(0, 50)} (${line}) may have been committed`);
  }
  return out;
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
