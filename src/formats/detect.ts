import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LadderError } from '../errors.js';
import { listFolderOnce } from './folder.js';
import { quoteIdent } from '../db/quote.js';
import type { Queryable } from './types.js';
import type { TableRef, UrlTableOptions } from './driver.js';
import type { FolderEvidence, FolderScan, FormatDetector } from './detector.js';
import { DETECTORS } from './detectors.js';
import type { ProjectEvidence } from './project-evidence.js';

/**
 * Which migration tool a project uses: each tool's detector (formats/<tool>/detector.ts) scores the names
 * (and, for dbmate, a sample of the contents) of the files in the migrations folder and says whether a
 * table is its tracking table; the decision between them ({@link decideFormat}) is pure;
 * {@link detectFormat} gathers the evidence and makes it.
 */

export { FORMAT_NAMES, DEFAULT_DIRS, FORMAT_LABELS, parseFormatName, type FormatName } from './names.js';
import { DEFAULT_FORMAT, FORMAT_NAMES, FORMAT_LABELS, FORMAT_EXPECTS, type FormatName } from './names.js';

export type { FolderEvidence, FolderScan } from './detector.js';

// ---------------------------------------------------------------------------------------------------
// The folder

const SQL_FILE = /\.sql$/i;
const DETECTOR_LIST: FormatDetector[] = FORMAT_NAMES.map((f) => DETECTORS[f]);

const zeros = () => Object.fromEntries(FORMAT_NAMES.map((f) => [f, 0])) as Record<FormatName, number>;

type Tallied = { detector: FormatDetector; tally: ReturnType<FormatDetector['tally']> };

const tallies = (detectors: FormatDetector[]): Tallied[] => detectors.map((detector) => ({ detector, tally: detector.tally() }));

/** Every detector's score, once each has put its findings in the scan (0 for all when there is no .sql file). */
async function scored(scan: FolderScan, tallied: Tallied[]): Promise<FolderScan> {
  await Promise.all(tallied.map(({ tally }) => tally.done(scan)));
  if (scan.sqlFiles > 0) for (const { detector, tally } of tallied) scan.scores[detector.name] = tally.score(scan);
  return scan;
}

/** A folder whose .sql files all sit in subfolders: only the tools that read those (Flyway) can score. */
async function scanSubfolders(dir: string): Promise<FolderScan> {
  const tallied = tallies(DETECTOR_LIST.filter((d) => d.readsSubfolders));
  let sqlFiles = 0;
  const files = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  for (const e of files) {
    if (e.isDirectory() || !SQL_FILE.test(e.name)) continue;
    if (/(^|[\\/])\./.test(relative(dir, join(e.parentPath ?? e.path, e.name)))) continue; // Flyway skips hidden folders
    sqlFiles++;
    for (const { tally } of tallied) tally.file(e.name, true);
  }
  return scored({ dir, exists: true, sqlFiles, scores: zeros(), matched: zeros(), markerSample: { read: 0, marked: 0 } }, tallied);
}

/**
 * Lists the folder once and asks each tool's detector to score it, in [0, 1] (see formats/<tool>/detector.ts):
 * - golang-migrate: the share of .sql files matching `^([0-9]+)_(.*)\.(down|up)\.(.*)$`;
 * - dbmate: up to 0.5 for the share named `<digits>….sql` (not an .up/.down pair) plus up to 0.5 for the
 *   share of a sample of them (the first 20 by name) carrying '-- migrate:up';
 * - sqlx: the share of .sql files sqlx takes as migrations, times the share of that sample *without*
 *   the marker (sqlx would run a dbmate file's down section right after its up); 0 when a name would
 *   make sqlx fail;
 * - Flyway: the share named as Flyway migrations (V, R, U).
 * The top level is read; only when it holds no .sql file but has subfolders are those read too, since
 * Flyway alone reads subfolders (projects often keep its scripts in db/migration/v1/...).
 */
export async function scanFolder(dir: string): Promise<FolderScan> {
  let entries;
  try {
    entries = await listFolderOnce(dir);
  } catch {
    return { dir, exists: false, sqlFiles: 0, scores: zeros(), matched: zeros(), markerSample: { read: 0, marked: 0 } };
  }
  const subfolders = entries.some((e) => e.isDirectory() && !e.name.startsWith('.'));
  if (subfolders && !entries.some((e) => !e.isDirectory() && SQL_FILE.test(e.name))) return scanSubfolders(dir);
  // One pass over the names (10,000 files must stay cheap): each name goes to every tool's tally.
  const tallied = tallies(DETECTOR_LIST);
  let sqlFiles = 0;
  for (const e of entries) {
    if (e.isDirectory()) {
      for (const { tally } of tallied) tally.folder?.(e.name);
      continue;
    }
    const sql = SQL_FILE.test(e.name);
    if (sql) sqlFiles++;
    for (const { tally } of tallied) tally.file(e.name, sql);
  }
  return scored({ dir, exists: true, sqlFiles, scores: zeros(), matched: zeros(), markerSample: { read: 0, marked: 0 } }, tallied);
}

/** Scores in [0,1] of how much the folder's files look like each tool's; reads at most ~20 files (dbmate markers). Missing folder → all 0. */
export async function scoreFolder(dir: string): Promise<Record<FormatName, number>> {
  return (await scanFolder(dir)).scores;
}

// ---------------------------------------------------------------------------------------------------
// The database

export type { TableRef } from './driver.js';

/** The tables the URL's own options name (golang-migrate's x-migrations-table, possibly in another schema; schema '' is current_schema()). */
export function tablesFromUrl(o: UrlTableOptions): Partial<Record<FormatName, TableRef>> {
  const tables: Partial<Record<FormatName, TableRef>> = {};
  for (const d of DETECTOR_LIST) if (d.tableFromUrl) tables[d.name] = d.tableFromUrl(o);
  return tables;
}

/** The table each tool creates when not told otherwise. */
export const DEFAULT_TABLES = Object.fromEntries(FORMAT_NAMES.map((f) => [f, DETECTORS[f].tableName])) as Record<FormatName, string>;

/**
 * Which tracking tables exist in `schema` and whose shape they have: schema_migrations with (version bigint, dirty boolean) → golang-migrate; schema_migrations with a single varchar/text version column → dbmate; _sqlx_migrations → sqlx; flyway_schema_history → flyway. One information_schema query.
 * `names` overrides a tool's table: a string is the table's name in `schema`, taken literally (golang-migrate's
 * x-migrations-table); a {schema, table} names both (DBMATE_MIGRATIONS_TABLE=schema.table, after resolveDbmateTable).
 * `table` in the answer is the qualified, quoted name, e.g. "public"."schema_migrations".
 */
export async function findTrackingTables(
  db: Queryable,
  schema: string,
  names?: Partial<Record<FormatName, string | TableRef>>,
): Promise<{ format: FormatName; table: string }[]> {
  return (await lookUpTables(db, wantedTables(schema, names))).tables;
}

/** What detection needs from the database, read in one round trip. */
export interface DatabaseFacts {
  /** current_schema(): null when search_path names no existing schema. */
  schema: string | null;
  database: string;
  tables: { format: FormatName; table: string }[];
}

/**
 * current_schema(), current_database() and the tracking tables ({@link findTrackingTables}) in one
 * query: opening a project costs one round trip for detection. A table named without a schema, or
 * with the schema '', is looked up in current_schema().
 */
export function readDatabaseFacts(db: Queryable, names?: Partial<Record<FormatName, string | TableRef>>): Promise<DatabaseFacts> {
  return lookUpTables(db, wantedTables('', names));
}

function wantedTables(schema: string, names?: Partial<Record<FormatName, string | TableRef>>): { format: FormatName; ref: TableRef }[] {
  return FORMAT_NAMES.map((format) => {
    const given = names?.[format];
    const ref: TableRef = typeof given === 'object' ? given : { schema, table: given || DEFAULT_TABLES[format] };
    return { format, ref };
  });
}

async function lookUpTables(db: Queryable, wanted: { format: FormatName; ref: TableRef }[]): Promise<DatabaseFacts> {
  // pg_catalog rather than information_schema.columns: the same answer in a fraction of a millisecond
  // instead of ~10. format_type() names the base types as information_schema's data_type does
  // ("bigint", "character varying", "boolean", ...). The outer row is there even when no table is.
  const res = await db.query(
    `SELECT current_schema() AS cs, current_database() AS db, f.s, f.t, f.col, f.type
       FROM (SELECT 1) AS one
       LEFT JOIN (
         SELECT n.nspname AS s, c.relname AS t, a.attname AS col, format_type(a.atttypid, NULL) AS type
           FROM unnest($1::text[], $2::text[]) AS w(s, t)
           JOIN pg_namespace n ON n.nspname = coalesce(nullif(w.s, ''), current_schema())
           JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = w.t AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       ) AS f ON true`,
    [wanted.map((w) => w.ref.schema), wanted.map((w) => w.ref.table)],
  );
  const rows = res.rows as { cs: string | null; db: string; s: string | null; t: string; col: string; type: string }[];
  const current = rows[0]?.cs ?? null;
  const columns = new Map<string, Map<string, string>>();
  for (const row of rows) {
    if (row.s === null) continue;
    const key = JSON.stringify([row.s, row.t]);
    let cols = columns.get(key);
    if (!cols) columns.set(key, (cols = new Map()));
    cols.set(row.col, row.type);
  }
  const tables: { format: FormatName; table: string }[] = [];
  for (const { format, ref } of wanted) {
    const schema = ref.schema === '' ? current : ref.schema;
    if (schema === null) continue;
    const cols = columns.get(JSON.stringify([schema, ref.table]));
    if (cols && DETECTORS[format].tableShape(cols)) tables.push({ format, table: `${quoteIdent(schema)}.${quoteIdent(ref.table)}` });
  }
  return { schema: current, database: String(rows[0]?.db ?? ''), tables };
}

// ---------------------------------------------------------------------------------------------------
// The decision

export interface Detection {
  format: FormatName;
  /**
   * Set when the folder fits several tools that keep different tracking tables, no table exists yet and
   * nothing in the project says which: `format` is only the first candidate, good for reading, and no
   * change may run until -format picks one (a wrong guess would create the wrong table).
   */
  ambiguous?: FormatName[];
  /** One plain sentence saying why, e.g. "12 of 12 .sql files carry dbmate's '-- migrate:up' marker and "public"."schema_migrations" has dbmate's shape." */
  reason: string;
}

export interface DecideInput {
  dir: string;
  scores: Record<FormatName, number>;
  sqlFiles: number;
  tables: { format: FormatName; table: string }[];
  explicit?: FormatName;
  /** From {@link scanFolder}, for exact counts in the reason; without it they are worked out from the scores. */
  evidence?: FolderEvidence;
  /** What the project's files say (Cargo.toml using sqlx, ...), from {@link projectEvidence}. */
  project?: ProjectEvidence[];
}

const EPSILON = 1e-9;
const possessive = (f: FormatName) => `${FORMAT_LABELS[f]}'s`;

/** a, b and c */
function listing(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Best first: by score, ties by FORMAT_NAMES order, except that sqlx leads when its table exists. */
function ranked(formats: readonly FormatName[], scores: Record<FormatName, number>, sqlxTable: boolean): FormatName[] {
  const order = (f: FormatName) => (sqlxTable && f === 'sqlx' ? -1 : FORMAT_NAMES.indexOf(f));
  return [...formats].sort((a, b) => {
    const d = scores[b] - scores[a];
    return Math.abs(d) > EPSILON ? d : order(a) - order(b);
  });
}

/** What the folder says for format f, e.g. "12 of 12 .sql files are named like golang-migrate's (…)". */
function folderPhrase(f: FormatName, input: DecideInput): string {
  return DETECTORS[f].folderPhrase(input);
}

/** What a found table says, e.g. '"public"."schema_migrations" has dbmate's shape'. */
function tablePhrase(t: { format: FormatName; table: string }): string {
  return DETECTORS[t.format].tablePhrase(t.table);
}

/** Why the folder scores 0 for f, e.g. "none of its 4 .sql files looks like a sqlx migration". */
function mismatchPhrase(f: FormatName, input: DecideInput): string {
  const own = DETECTORS[f].mismatchPhrase?.(input);
  if (own !== undefined) return own;
  const { sqlFiles: n } = input;
  const a = DETECTORS[f].article;
  if (n === 1) return `its one .sql file does not look like ${a} ${FORMAT_LABELS[f]} migration`;
  return `none of its ${n} .sql files looks like ${a} ${FORMAT_LABELS[f]} migration`;
}

function noSqlPhrase(input: DecideInput): string {
  return input.evidence?.exists === false ? `${input.dir} does not exist` : `${input.dir} has no .sql files`;
}

function noMatchError(input: DecideInput): LadderError {
  const n = input.sqlFiles;
  const expects = FORMAT_NAMES.map((f) => `${FORMAT_LABELS[f]} expects ${FORMAT_EXPECTS[f]}`).join('; ');
  return new LadderError(
    `${n === 1 ? 'The .sql file' : `None of the ${n} .sql files`} in ${input.dir} ${n === 1 ? 'is not' : 'is'} named the way golang-migrate, dbmate, sqlx, Flyway or plain-SQL projects name migrations: ${expects}.`,
    'Rename the files as the tool expects, or pass -format golang-migrate|dbmate|sqlx|flyway|plain to say which tool the folder is for.',
  );
}

/** Pure decision. explicit (-format) wins but the reason still mentions contradicting evidence (e.g. "-format sqlx given; note: the folder looks like Flyway's"). Otherwise: a format whose table exists AND whose folder score > 0 wins; else the highest folder score (ties: golang-migrate > dbmate > sqlx > flyway, but sqlx beats golang-migrate only when _sqlx_migrations exists); a folder with no .sql files but exactly one known table → that table's format; an empty folder and no tables → golang-migrate (the default) with a reason saying so. A folder with .sql files that match none → throw LadderError saying what each tool expects (golang-migrate: 1_name.up.sql/1_name.down.sql; dbmate: 20240101120000_name.sql with '-- migrate:up'; sqlx: 20240101120000_name.sql or .up.sql/.down.sql; Flyway: V1__name.sql / R__name.sql) and suggesting -format. */
export function decideFormat(input: DecideInput): Detection {
  return input.explicit ? decideExplicit(input, input.explicit) : decideAuto(input);
}

function decideExplicit(input: DecideInput, explicit: FormatName): Detection {
  const { scores, sqlFiles, tables } = input;
  const sqlxTable = tables.some((t) => t.format === 'sqlx');
  const notes: string[] = [];
  if (sqlFiles > 0) {
    const best = ranked(FORMAT_NAMES, scores, sqlxTable)[0]!;
    if (best !== explicit && scores[best] > scores[explicit] + EPSILON) notes.push(`the folder looks like ${possessive(best)}`);
    if (scores[explicit] <= EPSILON) notes.push(mismatchPhrase(explicit, input));
  }
  const own = tables.filter((t) => t.format === explicit);
  const others = tables.filter((t) => t.format !== explicit);
  notes.push(...others.map(tablePhrase));
  const head = `-format ${explicit} given`;
  if (notes.length > 0) return { format: explicit, reason: `${head}; note: ${listing(notes)}.` };
  const support = [...(sqlFiles > 0 ? [folderPhrase(explicit, input)] : []), ...own.map(tablePhrase)];
  return { format: explicit, reason: support.length > 0 ? `${head}, and ${listing(support)}.` : `${head}.` };
}

function decideAuto(input: DecideInput): Detection {
  const { scores, sqlFiles, tables } = input;
  const sqlxTable = tables.some((t) => t.format === 'sqlx');
  const tableFormats = FORMAT_NAMES.filter((f) => tables.some((t) => t.format === f));

  if (sqlFiles <= 0) {
    if (tableFormats.length === 0) {
      return {
        format: DEFAULT_FORMAT,
        reason: `${noSqlPhrase(input)} and no tracking table was found, so Ladder uses ${FORMAT_LABELS[DEFAULT_FORMAT]} (the default); pass -format to choose another tool.`,
      };
    }
    const format = ranked(tableFormats, scores, sqlxTable)[0]!;
    const own = tables.filter((t) => t.format === format).map(tablePhrase);
    if (tableFormats.length === 1) return { format, reason: `${noSqlPhrase(input)} and ${listing(own)}.` };
    const rest = tables.filter((t) => t.format !== format).map(tablePhrase);
    return {
      format,
      reason: `${noSqlPhrase(input)} and ${listing(own)}, but ${listing(rest)} too, so ${FORMAT_LABELS[format]} is assumed; pass -format to choose.`,
    };
  }

  const byFolder = ranked(FORMAT_NAMES, scores, sqlxTable);
  const bestByFolder = byFolder[0]!;
  if (scores[bestByFolder] <= EPSILON) throw noMatchError(input);

  const backed = ranked(tableFormats.filter((f) => scores[f] > EPSILON), scores, sqlxTable);
  if (backed.length === 0) {
    const decided = decideByProject(input, byFolder);
    if (decided) return decided;
  }
  const format = backed[0] ?? bestByFolder;
  const own = tables.filter((t) => t.format === format);
  const notes: string[] = [];
  if (own.length > 0 && bestByFolder !== format && scores[bestByFolder] > scores[format] + EPSILON) {
    notes.push(`the folder looks more like ${possessive(bestByFolder)}`);
  }
  // Decided by the names alone, and another tool's names score the same: say so.
  const tied = own.length > 0 ? [] : byFolder.filter((f) => f !== format && Math.abs(scores[f] - scores[format]) <= EPSILON);
  for (const f of tied) {
    if (f === 'sqlx' && format === 'golang-migrate') {
      notes.push('sqlx names reversible migrations the same way, but no _sqlx_migrations table exists (pass -format sqlx if the project uses sqlx)');
    } else {
      notes.push(`the names fit ${FORMAT_LABELS[f]} as well (pass -format ${f} if the project uses it)`);
    }
  }
  notes.push(...tables.filter((t) => t.format !== format).map((t) => `${tablePhrase(t)} too`));
  const evidence = [folderPhrase(format, input), ...own.map(tablePhrase)];
  return { format, reason: `${listing(evidence)}${notes.length > 0 ? `; note: ${listing(notes)}` : ''}.` };
}

/**
 * No tracking table backs the folder: the project's files decide between tools the names fit. When they
 * do not and the names fit sqlx and another tool equally, the answer is ambiguous (see {@link Detection}).
 */
function decideByProject(input: DecideInput, byFolder: FormatName[]): Detection | undefined {
  const { scores } = input;
  const fits = (f: FormatName) => scores[f] > EPSILON;
  const told = (input.project ?? []).filter((e) => fits(e.format));
  const toolsTold = [...new Set(told.map((e) => e.format))];
  if (toolsTold.length === 1) {
    const format = toolsTold[0]!;
    const others = (input.project ?? []).filter((e) => e.format !== format).map((e) => `${e.reason}, but the folder is not named for ${FORMAT_LABELS[e.format]}`);
    const why = told.map((e) => e.reason);
    return { format, reason: `${listing(why)}, and ${folderPhrase(format, input)}${others.length > 0 ? `; note: ${listing(others)}` : ''}.` };
  }
  const best = byFolder[0]!;
  let tied = byFolder.filter((f) => Math.abs(scores[f] - scores[best]) <= EPSILON);
  // sqlx-cli never writes 1_x.up.sql or 000001_x.up.sql (it writes timestamps or {:04}): such pairs are golang-migrate's.
  if (tied.includes('golang-migrate') && !input.evidence?.pairsSqlxShaped) tied = tied.filter((f) => f !== 'sqlx');
  if (toolsTold.length > 1) tied = toolsTold;
  else if (!tied.includes('sqlx') || tied.length < 2) return undefined;
  const names = tied.map((f) => FORMAT_LABELS[f]);
  const project = toolsTold.length > 1 ? `the project names more than one of them (${listing(told.map((e) => e.reason))})` : 'nothing in the project says which (no Cargo.toml using sqlx, go.mod requiring golang-migrate, dbmate in package.json or compose, flyway.conf, .sqlx/ folder, or Makefile/justfile recipe calling a tool)';
  return {
    format: tied[0]!,
    ambiguous: tied,
    reason: `the folder fits ${listing(names)} alike (${folderPhrase(tied[0]!, input)}), no tracking table exists yet, and ${project}; pass ${tied.map((f) => `-format ${f}`).join(' or ')} before changing anything.`,
  };
}

/** Convenience: scoreFolder + findTrackingTables + decideFormat. `names` overrides tracking-table names as in {@link findTrackingTables}. */
export async function detectFormat(
  dir: string,
  db: Queryable,
  schema: string,
  explicit?: FormatName,
  names?: Partial<Record<FormatName, string | TableRef>>,
): Promise<Detection> {
  const [scan, tables] = await Promise.all([scanFolder(dir), findTrackingTables(db, schema, names)]);
  return decideFormat({ dir, scores: scan.scores, sqlFiles: scan.sqlFiles, tables, explicit, evidence: scan });
}
