import type { FormatName } from './names.js';

/**
 * What detection asks each tool (formats/<tool>/detector.ts): how much a folder looks like its
 * migrations and whether a table is its tracking table, and how to say so. Light: loaded at start-up,
 * before the chosen tool's module. detect.ts makes the decision between them.
 */

/** The URL's own table options (golang-migrate's x-migrations-table and x-migrations-table-quoted). */
export interface UrlTableOptions {
  migrationsTable?: string;
  quoted?: boolean;
}

/** Where a tool's tracking table is; schema '' means current_schema(). */
export interface TableRef {
  schema: string;
  table: string;
}

/** What one pass over a folder's names found, for every tool at once (filled by each tool's {@link NameTally}). */
export interface FolderScan {
  dir: string;
  /** False when the folder could not be listed (missing, or not a folder): every score is then 0. */
  exists: boolean;
  /** Files at the top level whose name ends in .sql (any case). */
  sqlFiles: number;
  scores: Record<FormatName, number>;
  /** How many of the .sql files each tool takes as migrations, judging by name. */
  matched: Record<FormatName, number>;
  /** dbmate-named files read for the '-- migrate:up' marker, and how many carry it. */
  markerSample: { read: number; marked: number };
  /** A file name that makes sqlx's whole resolve fail ("V1__x.sql": not an integer version); sqlx then scores 0. */
  sqlxBreaker?: string;
  /** Plain-SQL rollback scripts (004_rollback.sql): sqlx would take each for a second migration 4. */
  plainRollbacks?: number;
  /** A rollbacks/ folder beside the numbered files, where plain-SQL projects keep their rollback scripts. */
  plainRollbacksDir?: boolean;
  /**
   * Every .up/.down version is 14 digits or 4 digits, the shapes sqlx-cli's `migrate add -r` writes
   * (timestamps, `{:04}`); golang-migrate writes those too. Other shapes (1_, 000001_) sqlx-cli never writes.
   */
  pairsSqlxShaped?: boolean;
}

/** The parts of a {@link FolderScan} that the decision uses to word its reason. */
export type FolderEvidence = Pick<FolderScan, 'exists' | 'matched' | 'markerSample' | 'sqlxBreaker' | 'plainRollbacks' | 'plainRollbacksDir' | 'pairsSqlxShaped'>;

/** One tool's look at the names of one folder, in the single pass detection makes (10,000 files stay cheap). */
export interface NameTally {
  /** Every top-level file name; `sql`: it ends in .sql (any case). */
  file(name: string, sql: boolean): void;
  /** Every top-level folder name. */
  folder?(name: string): void;
  /** After the names: what the tool found, written into the scan (reading a sample of files where the names cannot tell). */
  done(scan: FolderScan): Promise<void> | void;
  /** The folder's score in [0, 1], once every tool's findings are in the scan (some tools' names are others' too). */
  score(scan: FolderScan): number;
}

/** What the reason's phrases get: the scores and the counts behind them. */
export interface PhraseInput {
  dir: string;
  scores: Record<FormatName, number>;
  sqlFiles: number;
  evidence?: FolderEvidence;
}

export interface FormatDetector {
  name: FormatName;
  /** The indefinite article before the label ("a", "an"). */
  article: string;
  /** The table the tool creates when not told otherwise. */
  tableName: string;
  /** Whether a table's columns (name -> information_schema data_type) have the tool's shape. */
  tableShape(columns: Map<string, string>): boolean;
  /** The table the URL's own options name (golang-migrate's x-migrations-table), for tools that read it there. */
  tableFromUrl?(o: UrlTableOptions): TableRef;
  /** What a found table says, e.g. '"public"."schema_migrations" has dbmate's shape'. */
  tablePhrase(table: string): string;
  /** The tool reads subfolders too (when the top level holds no .sql file, only such tools can score). */
  readsSubfolders?: boolean;
  tally(): NameTally;
  /** What the folder says for this tool, e.g. "12 of 12 .sql files are named like golang-migrate's (…)". */
  folderPhrase(input: PhraseInput): string;
  /** Why the folder scores 0 for the tool, when the tool has a reason of its own (sqlx cannot read a name). */
  mismatchPhrase?(input: PhraseInput): string | undefined;
}

/** "3 of 4 .sql files are" */
export function filesPhrase(n: number, total: number): string {
  return `${n} of ${total} .sql file${total === 1 ? '' : 's'} ${n === 1 ? 'is' : 'are'}`;
}

/** The count behind a share of the .sql files, from the scan when it is there. */
export function countOf(input: PhraseInput, f: FormatName): number {
  return input.evidence?.matched[f] ?? Math.round(input.scores[f] * input.sqlFiles);
}

/** The share of the sampled dbmate-named files that carry '-- migrate:up' (tools that would misread such files score less). */
export function markedShare(scan: FolderScan): number {
  return scan.markerSample.read === 0 ? 0 : scan.markerSample.marked / scan.markerSample.read;
}
