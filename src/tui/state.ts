import type { DbState, Migration, SourceListing, Version } from '../formats/types.js';
import type { RecoveryCase } from '../engine/diagnose.js';
import type { markNeverRun, Status, StatusRow } from '../engine/status.js';
import type { Intent } from '../engine/plan.js';
import type { SqlDocument } from './sql-document.js';
import type { LogLine } from './log-lines.js';
import type { JournalEntry } from '../engine/journal.js';
import type { Pane, ScrollBy } from './pane.js';
import type { Capabilities } from './capabilities.js';

/** Which layer has the keyboard. */
export type Mode =
  | 'normal' // list / SQL preview
  | 'filter' // typing after /
  | 'help' // ? overlay
  | 'log' // the log, full height, scrollable (L)
  | 'history' // Ladder's journal, full height, scrollable (H)
  | 'prompt' // typing a version for force
  | 'command' // typing a : command
  | 'detail' // the selected migration's detail (enter)
  | 'planning' // reading state and files for a plan
  | 'plan' // a plan is shown, waiting for y/N (or the database name)
  | 'dry-run' // the plan on screen rehearsed in a rolled-back transaction (d in the plan), then back to it
  | 'running' // a plan runs
  | 'paused' // step mode: between two steps, waiting for the user (no lock held)
  | 'cancel' // cancel menu over a run
  | 'recovery' // the dirty-database guide
  | 'tool'; // an ambiguous folder: which tool's project is it (asked before the first change)

/** Which pane of the split has the keys: the list, the SQL, or the log. */
export type Focus = 'list' | 'sql' | 'log';
export type Tab = 'up' | 'down';

export interface Info {
  /** The database URL with the password hidden. */
  database: string;
  /** current_database(): what D asks the user to type. */
  databaseName: string;
  format: string;
  folder: string;
  table: string;
  /** Ladder's journal table (the history view reads it). */
  journalTable?: string;
  /** Where the URL came from (-database, DATABASE_URL, .env, sandbox). */
  source?: string;
  /** The tool's name in sentences ("Flyway"); `format` when absent. */
  tool?: string;
  /** Why Ladder took the folder for this tool's (Project.detection.reason). */
  detection?: string;
  /** One sentence on locking (Project.tracking.lockNote). */
  lockNote?: string;
  /** Whether the tool itself takes Ladder's lock (false: Ladder's lock does not keep the tool out). */
  toolLocks?: boolean;
  /** What differs between tools (capabilities.ts); one version and a dirty flag when absent. */
  caps?: Capabilities;
  /** What force writes, in the tool's terms (Project.tracking.forceMeaning). */
  forceMeaning?: string;
}

export interface DbView {
  /** null until the first read. */
  state: DbState | null;
  /** Who holds the migration lock, when it is someone else. */
  lockHolder: string | null;
  /** Set when the last read failed. */
  error: string | null;
}

export interface PreviewState {
  /** What the preview should show (selected migration + tab): a file's path, or a section's key (path#up), or null. */
  want: string | null;
  /** The file behind `want`. */
  path: string | null;
  /** The part of the file the tool runs, when it is not the whole file (dbmate's sections). */
  sql?: string;
  /** Why there is nothing to show when want is null. */
  absent: string | null;
  doc: SqlDocument | null;
  status: 'none' | 'loading' | 'ready' | 'error';
  error: string | null;
  /** First line shown. */
  top: number;
  /** Scrolled to the end (G): stays at the end when the whole of a partly read file arrives. */
  atEnd: boolean;
}

export interface PlanStepView {
  /** "up 3 users" / "force 7". */
  title: string;
  /** File name or what the step does. */
  detail: string;
  /** The SQL that will run: a document, or a few literal lines (force). */
  doc: SqlDocument | null;
  lines: string[];
  /** Lines of the document shown in the plan (the rest is summarised). */
  shown: number;
  /** Its lint findings counted, "✗ 1 error ⚠ 2 warnings", when it has any. */
  lint?: string;
}

/** `prompt`: why a typed answer is asked for, when it is not "down everything" (e.g. a lint error). */
export type Confirm = { kind: 'yes' } | { kind: 'name'; expected: string; prompt?: string };

/** A lint finding as the plan shows it, above the steps. */
export interface PlanFinding {
  severity: 'error' | 'warning' | 'info';
  rule: string;
  /** "1_region.up.sql:2:1". */
  where: string;
  /** Index of the step it belongs to in `steps`. */
  step: number;
  statement: string;
  message: string;
  fix: string;
}

export interface PlanView {
  intent: Intent;
  /** describePlan(): "goto 3 runs: down 7, down 6". */
  title: string;
  summary: string;
  steps: PlanStepView[];
  /** Steps not listed (very long plans). */
  moreSteps: number;
  confirm: Confirm;
  /** Lint findings of the steps' SQL, shown above the steps (each step's detail counts its own). */
  findings?: PlanFinding[];
  /** Identifies the exact steps; the run refuses when the re-planned steps differ. */
  signature: string;
  warning: string | null;
  /** More that the user must know before saying yes (e.g. force to a version with no file). */
  notes?: string[];
  /** A baseline: these migrations are recorded as applied without running (project.baseline), not run as steps. */
  baseline?: { versions: Version[]; given?: Version };
}

/** One step of a dry run, as the TUI shows it (from the engine's Rehearsal). */
export interface DryRunStep {
  label: string;
  status: 'ok' | 'would-fail' | 'not-rehearsed';
  durationMs: number | null;
  notices: string[];
  /** The schema diff: "+ column t.c int". */
  changes: string[];
  /** would-fail: PostgreSQL's message, where, and the failing line's text. */
  error?: { message: string; where: string; line?: number; lineText?: string };
  /** not-rehearsed: why (and, run on a scratch copy, where and why there). */
  reason?: string;
  /** Run for real on a scratch copy, as a transaction could not hold it (or a step before it). */
  onScratch?: boolean;
}

/** The dry run of the plan on screen (d): rehearsing, or what each step would do; the plan waits behind it. */
export interface DryRunView {
  status: 'running' | 'done' | 'error';
  /** The plan's title. */
  title: string;
  steps: DryRunStep[];
  error: string | null;
  /** First line shown. */
  top: number;
}

export interface StepResult {
  index: number;
  ok: boolean;
  text: string;
}

export interface RunView {
  title: string;
  labels: string[];
  /** Whether the first step has started (before: taking the lock, re-checking the plan). */
  started: boolean;
  /** Index of the running step (labels.length once all ran). */
  index: number;
  /** The step at index is running now (false between one step's end and the next one's start). */
  running: boolean;
  startedAt: number;
  stepStartedAt: number;
  /** Results of recent steps (a bounded tail: 10,000-step runs stay cheap). */
  results: StepResult[];
  lockWait: string | null;
  stopRequested: boolean;
  cancelSent: boolean;
  /** Steps done. */
  completed: number;
  /** Per step: the version it runs and the version the table holds (dirty) while it runs. */
  versions: Version[];
  targets: Version[];
  /** The running step's SQL (statement spans from the parser), when it has a file. */
  sql: RunningSql | null;
  /** Step mode: stop after each step and pause. */
  stepMode: boolean;
  /** Steps of the whole plan done before this run began (step mode runs a plan a step at a time). */
  offset: number;
}

export interface RunningSql {
  index: number;
  doc: SqlDocument | null;
  /** [startLine, endLine] of each statement, 0-based, from libpg-query; null when it could not parse. */
  spans: [number, number][] | null;
}

/** Step mode, between two steps: what the last step did; no lock is held. */
export interface StepPause {
  title: string;
  /** Every step of the plan, and how many have run. */
  labels: string[];
  done: number;
  last: { label: string; ok: boolean; durationMs: number; notices: string[]; row: string };
  /** Where the database is now, in words. */
  where: string;
}

/** A way out of a failed row (set-tracking tools), shown as a menu item; each is planned, then asks y/N. */
export interface LedgerWayOut {
  label: string;
  consequence: string;
  /** null: leave it. */
  intent: Intent | null;
}

/** The failed-migration panel of set-tracking tools (sqlx, Flyway): which row failed, in the tool's words, and the ways out. */
export interface LedgerGuide {
  key: Version;
  name: string;
  /** The tool's word for the row's state ("Failed", "partially applied (success = false)"). */
  label: string;
  /** The tool's messages about it (sqlx: "migration 3 is partially applied; fix and remove row ..."). */
  problems: string[];
  ways: LedgerWayOut[];
}

/** The last step that failed in this session: the recovery guide words its choices from it. */
export interface Failure {
  direction: 'up' | 'down';
  /** The migration whose file failed. */
  version: Version;
  /** The version recorded (dirty) when it failed. */
  target: Version;
  message: string;
}

export interface HistoryView {
  status: 'loading' | 'ready' | 'error';
  /** Newest first. */
  entries: JournalEntry[];
  error: string | null;
  /** This session records steps (false with -no-journal). */
  journal: boolean;
  /** Ladder keeps no journal for this project (set-tracking tools): why; the view lists the tool's table instead. */
  none: string | null;
  /** First line shown. */
  top: number;
}

/** A journal step, as never-run detection reads it (engine/status markNeverRun). */
export type JournalSteps = Parameters<typeof markNeverRun>[1];
/** `steps`: the journal's steps, where the tool counts every version below the current one as applied (never-run rows). */
export type StatusOf = (listing: SourceListing, state: DbState, steps?: JournalSteps) => Status;
/** Whether the tool's repair has anything to do in this state (a failed row, a changed checksum...). */
export type RepairCheck = (state: DbState) => boolean;

export interface UiState {
  cols: number;
  rows: number;
  color: boolean;
  mode: Mode;
  /** Where to return after help / filter. */
  focus: Focus;
  info: Info;
  db: DbView;
  listing: SourceListing;
  /** Pure: each migration's state by the project's tool (Project.status). */
  statusOf: StatusOf;
  /** The journal's steps last read (never-run rows); undefined: not read, or the tool has no such rows. */
  journalSteps?: JournalSteps;
  canRepair: RepairCheck;
  /** canRepair of the current state (the footer offers R only then). */
  repairable: boolean;
  byVersion: Map<Version, Migration>;
  /** One row per migration (computeStatus), in version order. */
  items: StatusRow[];
  /** Width the list panel would like (longest version + name). */
  listWant: number;
  /** Characters in the longest version number. */
  versionWidth: number;
  filter: string;
  /** Indexes into items that pass the filter. */
  visible: number[];
  /** Index into visible. */
  cursor: number;
  listTop: number;
  tab: Tab;
  preview: PreviewState;
  log: { lines: LogLine[]; total: number };
  /** Log view: lines scrolled back from the newest (0 follows the tail), and the mode to return to. */
  logBack: number;
  logReturn: 'normal' | 'running';
  prompt: { value: string; error: string | null; hint: string };
  plan: PlanView | null;
  planTop: number;
  confirmInput: string;
  confirmError: string | null;
  planningLabel: string;
  run: RunView | null;
  failure: Failure | null;
  /** The recovery guide's diagnosis (the engine's, as "ladder recover" shows it), and the highlighted way out. */
  recovery: {
    status: 'loading' | 'ready' | 'error';
    diagnosis: RecoveryCase | null;
    error: string | null;
    highlighted: number;
    /** First line of the statement breakdown shown (J/K scroll it). */
    detailTop: number;
    /** Set-tracking tools: the failed-migration panel instead of golang-migrate's guide. */
    ledger: LedgerGuide | null;
  };
  /** The history view (H): Ladder's journal, newest first, and the mode to return to. */
  history: HistoryView;
  historyReturn: 'normal' | 'running';
  /** Recovery guide: shown once per dirty version unless asked for. */
  recoveryShownFor: Version | null;
  /** Step mode between steps. */
  pause: StepPause | null;
  /** The : command line. */
  command: { value: string; error: string | null };
  /** Help: the typed filter, and its first line shown. */
  helpFilter: string;
  helpTop: number;
  /** The detail view's first line, and the two halves' SQL (read when it opens). */
  detailTop: number;
  detailDocs: { up: SqlDocument | null; down: SqlDocument | null };
  /** Log search (/ in the log view): the query, and whether it is being typed. */
  logSearch: { query: string; typing: boolean };
  /** Extra rows the split gives the log (+/-), on top of the default. */
  logGrow: number;
  /** The SQL preview's first column (h/l scroll it when it has focus). */
  previewLeft: number;
  /** Keys that would change something are held off for a moment (a layer changed by itself). */
  guarded: boolean;
  now: number;
  /** Bumped when the syntax highlighter has loaded (the SQL is redrawn in colour). */
  highlightEpoch: number;
  /** An ambiguous folder: the tools it could belong to (the TUI asks before the first change). */
  toolChoice: { candidates: string[]; labels: string[]; asked: string } | null;
  /** The tool the user chose: Ladder reopens the project as that tool's. */
  reopenAs: string | null;
  /** Drift (:drift): the database against its migrations replayed on a scratch database; checked only on request. */
  drift: DriftView;
  /** The dry run of the plan on screen (d in the plan view). */
  dryRun: DryRunView | null;
  /** The detail view: what the selected migration's last run changed in the schema (the journal's pictures). */
  detailDiff: { status: 'loading' | 'ready'; lines: string[] } | null;
  quitting: boolean;
}

export interface DriftView {
  status: 'unchecked' | 'checking' | 'none' | 'found' | 'error';
  /** Differences found, and the version it was checked at. */
  count: number;
  version: string | null;
  error: string | null;
}

export type Action =
  | { type: 'resize'; cols: number; rows: number }
  | { type: 'listing'; listing: SourceListing }
  | { type: 'db-state'; state: DbState; lockHolder: string | null }
  /** The journal's steps, read after the state changed: marks the versions the database went past without running them. */
  | { type: 'journal-steps'; steps: JournalSteps }
  | { type: 'db-error'; message: string }
  | { type: 'move'; delta: number }
  | { type: 'move-page'; pages: number }
  | { type: 'move-to'; where: 'top' | 'bottom' }
  | { type: 'select-version'; version: Version }
  | { type: 'focus'; focus: Focus }
  | { type: 'tab'; tab?: Tab }
  | { type: 'preview-loading'; path: string }
  | { type: 'preview-loaded'; path: string; doc: SqlDocument }
  | { type: 'preview-error'; path: string; message: string }
  | { type: 'preview-stale'; path: string | null }
  | { type: 'filter-open' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-backspace' }
  | { type: 'filter-close'; keep: boolean }
  | { type: 'help'; open: boolean }
  | { type: 'log-view'; open: boolean }
  | { type: 'prompt-open'; hint: string; value?: string }
  | { type: 'prompt-type'; text: string }
  | { type: 'prompt-backspace' }
  | { type: 'prompt-error'; message: string }
  | { type: 'prompt-close' }
  | { type: 'planning'; label: string }
  | { type: 'plan-ready'; plan: PlanView }
  | { type: 'confirm-type'; text: string }
  | { type: 'confirm-backspace' }
  | { type: 'confirm-error'; message: string }
  | { type: 'plan-close' }
  | { type: 'run-start'; title: string; labels: string[]; versions?: Version[]; targets?: Version[]; now: number; stepMode?: boolean; offset?: number }
  /** holder: who has the lock while we wait; null once we have it. */
  | { type: 'run-lock-wait'; holder: string | null }
  | { type: 'run-progress'; started: boolean; running?: boolean; index: number; stepStartedAt: number; completed: number; results: StepResult[]; now: number }
  | { type: 'failure'; failure: Failure | null }
  | { type: 'run-stop-requested' }
  | { type: 'run-cancel-sent' }
  | { type: 'run-end' }
  | { type: 'cancel-menu'; open: boolean }
  /** shownFor: the failed version or row the guide is about (the dirty version when absent). */
  | { type: 'recovery'; open: boolean; shownFor?: Version; ledger?: LedgerGuide }
  | { type: 'recovery-diagnosis'; diagnosis: RecoveryCase | null; error: string | null }
  | { type: 'recovery-highlight'; index: number }
  | { type: 'history-view'; open: boolean }
  | { type: 'history-loaded'; entries: JournalEntry[]; error: string | null; journal: boolean; none?: string | null }
  | { type: 'log'; lines: LogLine[]; total: number }
  | { type: 'tick'; now: number }
  | { type: 'highlighter-ready' }
  | { type: 'guard'; on: boolean }
  | { type: 'run-sql'; sql: RunningSql }
  | { type: 'pause'; pause: StepPause | null }
  | { type: 'command-open'; value?: string }
  | { type: 'command-type'; text: string }
  | { type: 'command-backspace' }
  | { type: 'command-set'; value: string }
  | { type: 'command-error'; message: string }
  | { type: 'command-close' }
  | { type: 'help-type'; text: string }
  | { type: 'help-backspace' }
  | { type: 'detail'; open: boolean }
  | { type: 'detail-docs'; up: SqlDocument | null; down: SqlDocument | null }
  | { type: 'log-search'; query?: string; typing: boolean }
  | { type: 'log-grow'; delta: number }
  | { type: 'preview-left'; delta: number }
  /** Any pane that scrolls over lines (scroll.ts). */
  | { type: 'scroll'; pane: Pane; by: ScrollBy }
  | { type: 'tool-ask'; candidates: string[]; labels: string[]; asked: string }
  | { type: 'tool-close' }
  | { type: 'tool-chosen'; format: string }
  | { type: 'drift'; drift: DriftView }
  | { type: 'dry-run-start'; title: string }
  | { type: 'dry-run-done'; steps: DryRunStep[]; error: string | null }
  | { type: 'dry-run-close' }
  | { type: 'detail-diff'; diff: { status: 'loading' | 'ready'; lines: string[] } | null }
  | { type: 'quit' };
