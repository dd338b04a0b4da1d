import type { DbState, Queryable, SourceListing, Version } from '../formats/types.js';
import { decideFormat, readDatabaseFacts, scanFolder, tablesFromUrl, type Detection, type FormatName } from '../formats/detect.js';
import type { FormatListing, FormatMigration, FormatSettings, FormatTracker, SetFormatModule, TrackingModel, VersionFormatModule } from '../formats/driver.js';
import { loadFormatModule } from '../formats/load.js';
import { MigrationSession } from '../db/session.js';
import type { DatabaseTarget } from '../db/url.js';
import { Journal, type JournalEntry } from './journal.js';
import { diagnose, type RecoveryCase } from './diagnose.js';
import { plan, type Intent, type Plan, type PlanResult } from './plan.js';
import { versionModel } from './plan-version.js';
import { computeStatus, type Status } from './status.js';
import { runPlan, type RunControl } from './run.js';
import { versionWriter, type VersionWriterOptions } from './run-version.js';
import type { RunEvent, RunOutcome } from './events.js';
import { LadderError } from '../errors.js';
import { projectEvidence } from '../formats/project-evidence.js';
import { DEFAULT_FORMAT, FORMAT_NAMES } from '../formats/names.js';

export interface ProjectRunOptions {
  emit?: (e: RunEvent) => void;
  control?: RunControl;
  /** Record steps in ladder_journal (-no-journal turns it off). */
  journal: boolean;
  readBody?: VersionWriterOptions['readBody'];
}

/** The tracking table and lock of the project's tool. */
export interface Tracking {
  /** How the tool tracks what ran: one version and a dirty flag, or one row per applied migration. */
  model: TrackingModel;
  /** Qualified, quoted table name. */
  table: string;
  lockId: string;
  /** Whether the tool itself takes the same lock (false: Ladder's lock does not keep the tool out). */
  toolLocks: boolean;
  /** One sentence on locking, for status and the README. */
  lockNote: string;
  /** What "force V" writes, in the tool's terms. */
  forceMeaning: string;
  /** What "baseline" writes, in the tool's terms. */
  baselineMeaning: string;
  /** The tool counts every version below the current one as applied (so the journal can spot one that never ran). */
  countsBelowCurrent: boolean;
  /** The exact SQL "force V" sends, where it is one fixed statement list (golang-migrate). */
  forceSql?: (version: string) => string;
}

/**
 * A migrations folder and a database, opened together in one tool's format: what every command starts
 * from. Everything format-specific sits behind these members; callers never check the format.
 */
export interface Project {
  format: FormatName;
  detection: Detection;
  readonly listing: SourceListing;
  target: DatabaseTarget;
  session: MigrationSession;
  tracking: Tracking;
  /** Ladder's step journal, next to the tool's table (every tool keeps one). */
  journal?: Journal;
  schema: string;
  database: string;
  ensureTable(db?: Queryable): Promise<void>;
  readState(db?: Queryable): Promise<DbState>;
  status(state: DbState): Status;
  /** The recovery guide's case: what the journal's unfinished step left behind, with the tool's ways out; null: nothing unfinished. */
  diagnose(state: DbState, history: JournalEntry[]): Promise<RecoveryCase | null>;
  plan(state: DbState, intent: Intent): PlanResult;
  /** Runs a plan; the caller holds the lock. */
  run(plan: Plan, opts: ProjectRunOptions): Promise<RunOutcome>;
  /** Records these pending migrations (in order) as applied without running them, as the tool's baseline writes it; the caller holds the lock. */
  baseline(versions: Version[]): Promise<void>;
  reloadListing(): Promise<SourceListing>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** -format; detected from the folder and the tables when absent. */
  format?: FormatName;
  /** DBMATE_MIGRATIONS_TABLE and the like: the tool's table name, when it is configurable. */
  tables?: Partial<Record<FormatName, string>>;
  /** Tool settings (dbmate's --strict). */
  settings?: FormatSettings;
}

export async function openProject(dir: string, target: DatabaseTarget, opts: OpenOptions = {}): Promise<Project> {
  // Look at the folder while connecting; a folder error is reported first (it is the user's own input).
  const opening = MigrationSession.open(target);
  opening.catch(() => undefined);
  const scan = await scanFolder(dir);
  const project = opts.format ? undefined : projectEvidence(dir);
  if (!scan.exists) {
    const read = (await loadFormatModule(opts.format ?? DEFAULT_FORMAT)).readSource(dir);
    await read.finally(() => opening.then((s) => s.close()).catch(() => undefined)); // throws the folder's own error
  }
  // Read the likeliest tool's listing while the connection and the table lookup finish.
  const guess = opts.format ?? likeliest(scan.scores);
  const guessed = loadFormatModule(guess).then((m) => ({ module: m, listing: m.readSource(dir) as Promise<SourceListing | FormatListing> }));
  guessed.then((g) => g.listing).catch(() => undefined);
  const session = await opening;
  try {
    const facts = await readDatabaseFacts(session.client, { ...opts.tables, ...tablesFromUrl({ migrationsTable: target.options.migrationsTable, quoted: target.options.migrationsTableQuoted }) });
    const { schema, database, tables: found } = facts;
    if (!schema)
      throw new LadderError(
        'PostgreSQL has no current schema for this connection (search_path names no existing schema).',
        'Create the schema, or set search_path in the URL (e.g. ?search_path=public).',
      );
    const detection = decideFormat({ dir, scores: scan.scores, sqlFiles: scan.sqlFiles, tables: found, explicit: opts.format, evidence: scan, project: await project });
    const base = { detection, target, session, schema, database, close: () => session.close() };
    const module = detection.format === guess ? (await guessed).module : await loadFormatModule(detection.format);
    const listing = detection.format === guess ? (await guessed).listing : module.readSource(dir);
    if (module.model === 'version') return await versionProject(module, dir, base, await (listing as Promise<SourceListing>));
    return await ledgerProject(module, dir, base, opts.tables?.[detection.format], opts.settings ?? {}, await (listing as Promise<FormatListing>));
  } catch (err) {
    await session.close();
    throw err;
  }
}

/** The tool whose names the folder fits best (ties: the first in FORMAT_NAMES, the default first). */
function likeliest(scores: Record<FormatName, number>): FormatName {
  return FORMAT_NAMES.reduce((best, f) => (scores[f] > scores[best] ? f : best), FORMAT_NAMES[0]!);
}

type Base = Pick<Project, 'detection' | 'target' | 'session' | 'schema' | 'database' | 'close'>;

/** A tool that tracks one version and a dirty flag (golang-migrate). */
async function versionProject(module: VersionFormatModule, dir: string, base: Base, first: SourceListing): Promise<Project> {
  let listing = first;
  const { target, session } = base;
  const { rules } = module;
  const tracker = module.tracker({
    schema: base.schema,
    databaseName: base.database,
    urlPath: target.urlPath,
    urlTable: { migrationsTable: target.options.migrationsTable, quoted: target.options.migrationsTableQuoted },
  });
  const journal = new Journal(tracker.schema, module.versionType);
  const model = versionModel(rules, module.name);
  return {
    ...base,
    format: module.name,
    get listing() {
      return listing;
    },
    tracking: {
      model: module.model,
      table: tracker.table,
      get lockId() {
        return tracker.lockId;
      },
      toolLocks: tracker.toolLocks,
      countsBelowCurrent: rules.countsBelowCurrent,
      lockNote: module.lockNote,
      forceMeaning: rules.forceMeaning,
      forceSql: (version) => tracker.setVersionSql(version, false),
      baselineMeaning: rules.baselineMeaning,
    },
    journal,
    ensureTable: (db = session.client) => tracker.ensureTable(db),
    readState: (db = session.client) => tracker.readState(db),
    status: (state) => computeStatus(listing, state),
    diagnose: (state, history) => diagnose(session.client, listing, state, history),
    plan: (state, intent) => plan(model, listing, state, intent),
    run: (plan, o) => {
      const journaled = o.journal ? journal : undefined;
      const writer = versionWriter(plan, { session, tracker, journal: journaled, readBody: o.readBody });
      return runPlan(plan, { session, writer, emit: o.emit, control: o.control, statementTimeoutMs: target.options.statementTimeoutMs, journal: journaled });
    },
    reloadListing: async () => (listing = await module.readSource(dir)),
    // golang-migrate's baseline is `force V`: V recorded clean, everything below it counts as applied.
    baseline: async (versions) => {
      const last = versions[versions.length - 1];
      if (last === undefined) return;
      await tracker.ensureTable(session.client);
      await tracker.setVersion(session.client, last, false);
    },
  };
}

/** A tool that tracks one row per applied migration (dbmate, sqlx, Flyway, plain); its engine parts load only for such projects. */
async function ledgerProject(module: SetFormatModule, dir: string, base: Base, table: string | undefined, settings: FormatSettings, first: FormatListing): Promise<Project> {
  const rules = module.rulesFor?.(settings) ?? module.rules;
  const [{ setModel }, { ledgerStatus, toSourceListing }, { rowWriter }, { diagnoseLedger }] = await Promise.all([
    import('./ledger/plan.js'),
    import('./ledger/status.js'),
    import('./ledger/run.js'),
    import('./ledger/recovery.js'),
  ]);
  const { session, target } = base;
  let formatListing: FormatListing = first;
  let listing = toSourceListing(formatListing);
  let byKey = new Map<string, FormatMigration>(formatListing.migrations.map((m) => [m.key, m]));
  const tracker: FormatTracker = module.tracker({ schema: base.schema, table, databaseName: base.database, searchPath: target.searchPathFirst });
  const journal = new Journal(base.schema, module.versionType);
  const model = setModel(rules, module.name);
  const readState = async (db: Queryable = session.client): Promise<DbState> => {
    const applied = await tracker.readApplied(db);
    return {
      version: rules.current(formatListing, applied) ?? '-1',
      dirty: rules.failed(applied) !== null,
      applied,
    };
  };
  return {
    ...base,
    format: module.name,
    get listing() {
      return listing;
    },
    tracking: { model: module.model, table: tracker.table, lockId: tracker.lockId, toolLocks: tracker.toolLocks, countsBelowCurrent: false, lockNote: module.lockNote, forceMeaning: rules.forceMeaning, baselineMeaning: rules.baselineMeaning ?? `for each of them what "force" writes: ${rules.forceMeaning}` },
    journal,
    ensureTable: (db = session.client) => tracker.ensureTable(db),
    readState,
    status: (state) => ledgerStatus(rules, formatListing, state),
    diagnose: (state, history) => diagnoseLedger(session.client, rules, formatListing, state, history),
    plan: (state, intent) => plan(model, formatListing, state, intent),
    run: (plan, o) => {
      const journaled = o.journal ? journal : undefined;
      const writer = rowWriter(plan, { session, tracker, migrations: byKey, readState, journal: journaled });
      return runPlan(plan, { session, writer, emit: o.emit, control: o.control, statementTimeoutMs: target.options.statementTimeoutMs, journal: journaled });
    },
    baseline: async (versions) => {
      const db = session.client;
      const migrations = versions.map((v) => {
        const m = byKey.get(v);
        if (!m) throw new LadderError(`No migration ${v} in the folder any more; nothing was recorded.`, 'The folder changed since the plan was made: run baseline again.');
        return m;
      });
      await db.query('BEGIN');
      try {
        if (tracker.recordBaseline) await tracker.recordBaseline(db, migrations);
        else {
          await tracker.ensureTable(db);
          for (const m of migrations) await tracker.recordApplied(db, m);
        }
        await db.query('COMMIT');
      } catch (err) {
        await db.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    },
    reloadListing: async () => {
      formatListing = await module.readSource(dir);
      byKey = new Map(formatListing.migrations.map((m) => [m.key, m]));
      return (listing = toSourceListing(formatListing));
    },
  };
}
