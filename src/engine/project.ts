import type { DbState, Queryable, SourceListing, Version } from '../formats/types.js';
import { golangMigrateSource } from '../formats/golang-migrate/source.js';
import { golangMigrateTracker, resolveTable } from '../formats/golang-migrate/tracker.js';
import { decideFormat, readDatabaseFacts, scanFolder, type Detection, type FormatName } from '../formats/detect.js';
import type { FormatListing, FormatMigration, FormatModule, FormatSettings, FormatTracker } from '../formats/driver.js';
import { MigrationSession } from '../db/session.js';
import type { DatabaseTarget } from '../db/url.js';
import { Journal, type JournalEntry } from './journal.js';
import { diagnose, type RecoveryCase } from './diagnose.js';
import { plan as planLinear, type Intent, type Plan, type PlanResult } from './plan.js';
import { computeStatus, type Status } from './status.js';
import { runPlan, type RunControl } from './run.js';
import type { RunEvent, RunOutcome } from './events.js';
import { LadderError } from '../errors.js';
import { projectEvidence } from '../formats/project-evidence.js';
import { FORMAT_NAMES, LINEAR_FORMAT, tracksOneVersion } from '../formats/names.js';

export interface ProjectRunOptions {
  emit?: (e: RunEvent) => void;
  control?: RunControl;
  /** Record steps in ladder_journal (-no-journal turns it off). */
  journal: boolean;
  readBody?: Parameters<typeof runPlan>[1]['readBody'];
}

/** The tracking table and lock of the project's tool. */
export interface Tracking {
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
  /** Whether the guided recovery (diagnosis of a failed golang-migrate step) applies. */
  guidedRecovery: boolean;
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
    const read = opts.format && !tracksOneVersion(opts.format) ? (await formatModules())[opts.format].readSource(dir) : golangMigrateSource.read(dir);
    await read.finally(() => opening.then((s) => s.close()).catch(() => undefined)); // throws the folder's own error
  }
  // Most projects are golang-migrate's: read its listing while the connection and the table lookup finish.
  const s = scan.scores;
  const likelyGolang = opts.format ? tracksOneVersion(opts.format) : FORMAT_NAMES.every((f) => s[LINEAR_FORMAT] >= s[f]);
  const golangListing = likelyGolang ? golangMigrateSource.read(dir) : undefined;
  golangListing?.catch(() => undefined);
  const session = await opening;
  try {
    // golang-migrate's table as its x-migrations-table options name it (possibly in another schema);
    // the schema '' is current_schema(), which the same query reads.
    const golangTable = resolveTable('', { migrationsTable: target.options.migrationsTable, quoted: target.options.migrationsTableQuoted });
    const facts = await readDatabaseFacts(session.client, { ...opts.tables, [LINEAR_FORMAT]: golangTable });
    const { schema, database, tables: found } = facts;
    if (!schema)
      throw new LadderError(
        'PostgreSQL has no current schema for this connection (search_path names no existing schema).',
        'Create the schema, or set search_path in the URL (e.g. ?search_path=public).',
      );
    const detection = decideFormat({ dir, scores: scan.scores, sqlFiles: scan.sqlFiles, tables: found, explicit: opts.format, evidence: scan, project: await project });
    const base = { detection, target, session, schema, database, close: () => session.close() };
    if (tracksOneVersion(detection.format)) return await golangMigrateProject(dir, base, await (golangListing ?? golangMigrateSource.read(dir)));
    return await ledgerProject((await formatModules())[detection.format], dir, base, opts.tables?.[detection.format], opts.settings ?? {});
  } catch (err) {
    await session.close();
    throw err;
  }
}

type Base = Pick<Project, 'detection' | 'target' | 'session' | 'schema' | 'database' | 'close'>;

async function golangMigrateProject(dir: string, base: Base, first: SourceListing): Promise<Project> {
  let listing = first;
  const { target, session } = base;
  const table = resolveTable(base.schema, { migrationsTable: target.options.migrationsTable, quoted: target.options.migrationsTableQuoted });
  const tracker = golangMigrateTracker(table, target.urlPath);
  const journal = new Journal(table.schema);
  return {
    ...base,
    format: LINEAR_FORMAT,
    get listing() {
      return listing;
    },
    tracking: {
      table: tracker.table,
      get lockId() {
        return tracker.lockId;
      },
      toolLocks: true,
      countsBelowCurrent: true,
      lockNote: "Ladder takes golang-migrate's advisory lock, so the two exclude each other.",
      forceMeaning: 'records version V (clean) in schema_migrations without running anything, as migrate force does',
      forceSql: (version) => tracker.setVersionSql(version, false),
      baselineMeaning: 'what "migrate force V" writes for the last of them: schema_migrations = (V, clean), so everything up to V counts as applied',
    },
    journal,
    guidedRecovery: true,
    ensureTable: (db = session.client) => tracker.ensureTable(db),
    readState: (db = session.client) => tracker.readState(db),
    status: (state) => computeStatus(listing, state),
    diagnose: (state, history) => diagnose(session.client, listing, state, history),
    plan: (state, intent) => planLinear(listing, state, intent),
    run: (plan, o) =>
      runPlan(plan, {
        session,
        tracker,
        emit: o.emit,
        control: o.control,
        statementTimeoutMs: target.options.statementTimeoutMs,
        journal: o.journal ? journal : undefined,
        readBody: o.readBody,
      }),
    reloadListing: async () => (listing = await golangMigrateSource.read(dir)),
    // golang-migrate's baseline is `force V`: V recorded clean, everything below it counts as applied.
    baseline: async (versions) => {
      const last = versions[versions.length - 1];
      if (last === undefined) return;
      await tracker.ensureTable(session.client);
      await tracker.setVersion(session.client, last, false);
    },
  };
}

// The other tools' modules and the set-tracking engine load only for their projects: start-up stays golang-migrate's.
const formatModules = async () => (await import('../formats/registry.js')).FORMAT_MODULES;

async function ledgerProject(module: FormatModule, dir: string, base: Base, table: string | undefined, settings: FormatSettings): Promise<Project> {
  const rules = module.rulesFor?.(settings) ?? module.rules;
  const [{ planLedger }, { ledgerStatus, toSourceListing }, { runLedgerPlan }, { diagnoseLedger }] = await Promise.all([
    import('./ledger/plan.js'),
    import('./ledger/status.js'),
    import('./ledger/run.js'),
    import('./ledger/recovery.js'),
  ]);
  const { session, target } = base;
  let formatListing: FormatListing = await module.readSource(dir);
  let listing = toSourceListing(formatListing);
  let byKey = new Map<string, FormatMigration>(formatListing.migrations.map((m) => [m.key, m]));
  const tracker: FormatTracker = module.tracker({ schema: base.schema, table, databaseName: base.database, searchPath: target.searchPathFirst });
  const journal = new Journal(base.schema, 'text');
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
    tracking: { table: tracker.table, lockId: tracker.lockId, toolLocks: tracker.toolLocks, countsBelowCurrent: false, lockNote: module.lockNote, forceMeaning: rules.forceMeaning, baselineMeaning: rules.baselineMeaning ?? `for each of them what "force" writes: ${rules.forceMeaning}` },
    journal,
    guidedRecovery: false,
    ensureTable: (db = session.client) => tracker.ensureTable(db),
    readState,
    status: (state) => ledgerStatus(rules, formatListing, state),
    diagnose: (state, history) => diagnoseLedger(session.client, rules, formatListing, state, history),
    plan: (state, intent) => planLedger(rules, formatListing, state, intent, module.name),
    run: (plan, o) =>
      runLedgerPlan(plan, {
        session,
        tracker,
        migrations: byKey,
        readState,
        emit: o.emit,
        control: o.control,
        statementTimeoutMs: target.options.statementTimeoutMs,
        journal: o.journal ? journal : undefined,
      }),
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
