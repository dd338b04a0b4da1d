import type { FormatFile, FormatListing, LedgerRules } from '../../formats/driver.js';
import type { DbState, Migration, MigrationFile, SourceListing, SourceProblem } from '../../formats/types.js';
import type { Status, StatusRow } from '../status.js';

/** A set-tracking tool's listing in the shape the UI and the headless commands show. */
export function toSourceListing(listing: FormatListing): SourceListing {
  const migrations: Migration[] = listing.migrations.map((m) => ({
    version: m.key,
    name: m.description,
    ...(m.up ? { up: file(m.up) } : {}),
    ...(m.down ? { down: file(m.down) } : {}),
    ...(m.kind === 'repeatable' ? { repeatable: true } : {}),
  }));
  return { dir: listing.dir, migrations, problems: problems(listing), ignored: listing.ignored };
}

function file(f: FormatFile): MigrationFile {
  return { path: f.path, file: f.file, name: f.file, sql: f.sql, transaction: f.transaction, ...(f.eachStatement ? { eachStatement: true } : {}) };
}

function problems(listing: FormatListing): SourceProblem[] {
  return listing.problems.map((p) => ({ kind: 'format', ...(p.key !== undefined ? { version: p.key } : {}), message: p.message }));
}

/** Pure: each migration's state by the tool's rules, with the tool's own word for it. */
export function ledgerStatus(rules: LedgerRules, listing: FormatListing, state: DbState): Status {
  const rows: StatusRow[] = rules.entries(listing, state.applied ?? []).map((e) => ({
    version: e.key,
    name: e.migration?.description ?? e.row?.description ?? '',
    state: e.state,
    up: Boolean(e.migration?.up),
    down: Boolean(e.migration?.down),
    current: e.key === state.version,
    label: e.label,
    ...(e.checksum ? { checksum: e.checksum } : {}),
    ...(e.migration && !e.migration.down ? { noDown: rules.noDown(e.migration) } : {}),
    ...(e.migration?.kind === 'repeatable' || (!e.migration && e.row?.version === null) ? { repeatable: true } : {}),
    problems: e.problems,
  }));
  return { version: state.version, dirty: state.dirty, rows, problems: problems(listing) };
}
