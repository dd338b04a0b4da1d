import type { DbState, SourceListing, SourceProblem, Version } from '../formats/types.js';
import { NIL_VERSION, compareNumeric } from '../formats/types.js';

/** changed: applied, but the file's checksum differs; outdated: a repeatable that re-runs; skipped: the tool will not run it. */
export type MigrationState = 'applied' | 'pending' | 'dirty' | 'missing' | 'changed' | 'outdated' | 'skipped';

/** The list marker of each state, the same in `status` and the TUI. */
export const STATE_MARKERS: Record<MigrationState, string> = { applied: '✓', pending: '·', dirty: '✗', missing: '?', changed: '≠', outdated: '↻', skipped: '-' };

/** Labels that only repeat what the marker says (dbmate's [X], sqlx's "installed", Flyway's "Success"). */
const PLAIN_LABELS = new Set(['applied', 'pending', 'installed', 'success', '[x]', '[ ]', 'dirty', 'missing']);

/** The tool's own word for the row's state when it adds something to the marker ("Out of Order", "installed (different checksum)"), else ''. */
export function toolWord(r: Pick<StatusRow, 'label'>): string {
  const label = r.label?.trim() ?? '';
  return label === '' || PLAIN_LABELS.has(label.toLowerCase()) ? '' : label;
}

export interface StatusRow {
  version: Version;
  name: string;
  state: MigrationState;
  /** Whether the up / down file exists. */
  up: boolean;
  down: boolean;
  current: boolean;
  /** The tool's own word for the state (Flyway's "Success", sqlx's "installed (different checksum)"). */
  label?: string;
  /** Stored and local checksums when they differ (sqlx: hex SHA-384; Flyway: signed CRC-32). */
  checksum?: { stored: string; local: string };
  repeatable?: boolean;
  /** Why it cannot be rolled back, in the tool's terms (set-tracking tools, when it has no down). */
  noDown?: string;
  /** Short, human-readable problems for this version: "missing down file", "gap: 2 versions missing before it", ... */
  problems: string[];
}

export interface Status {
  version: Version;
  dirty: boolean;
  rows: StatusRow[];
  /** Problems not tied to one row (duplicates name their version, but are listed here too). */
  problems: SourceProblem[];
}

/** Pure: what each migration's state is, given the folder and the tracking table. */
export function computeStatus(listing: SourceListing, state: DbState): Status {
  const rows: StatusRow[] = listing.migrations.map((m) => ({
    version: m.version,
    name: m.name,
    state: state.version !== NIL_VERSION && compareNumeric(m.version, state.version) <= 0 ? ('applied' as const) : ('pending' as const),
    up: Boolean(m.up),
    down: Boolean(m.down),
    current: m.version === state.version,
    problems: [],
  }));
  if (state.version !== NIL_VERSION && !rows.some((r) => r.current)) {
    // Applied (so says the table) but the file is gone: keep it in version order.
    const row: StatusRow = { version: state.version, name: '', state: 'missing', up: false, down: false, current: true, problems: ['no file for the current version'] };
    const at = rows.findIndex((r) => compareNumeric(r.version, state.version) > 0);
    rows.splice(at < 0 ? rows.length : at, 0, row);
  }
  if (state.dirty) {
    const cur = rows.find((r) => r.current);
    if (cur) cur.state = 'dirty';
  }
  const byVersion = listing.problems.length > 0 ? new Map(rows.map((r) => [r.version, r])) : new Map<Version, StatusRow>();
  for (const p of listing.problems) {
    const v = p.kind === 'gap' ? p.before : p.version;
    if (v !== undefined) byVersion.get(v)?.problems.push(problemText(p));
  }
  return { version: state.version, dirty: state.dirty, rows, problems: listing.problems };
}

export function problemText(p: SourceProblem): string {
  switch (p.kind) {
    case 'duplicate':
      return `duplicate ${p.direction} files: ${p.files.join(', ')}`;
    case 'missing-down':
      return 'no down file (stepping down through it runs nothing)';
    case 'missing-up':
      return 'no up file (stepping up through it runs nothing)';
    case 'format':
      return p.message;
    case 'gap':
      return p.missing === 1 ? `gap: version ${BigInt(p.after) + 1n} is missing` : `gap: versions ${BigInt(p.after) + 1n}-${BigInt(p.before) - 1n} are missing`;
  }
}
