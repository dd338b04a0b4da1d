import type { DbState, SourceListing, SourceProblem, Version } from '../formats/types.js';
import { NIL_VERSION, compareNumeric } from '../formats/types.js';

/** changed: applied, but the file's checksum differs; outdated: a repeatable that re-runs; skipped: the tool will not run it. */
export type MigrationState = 'applied' | 'pending' | 'dirty' | 'missing' | 'changed' | 'outdated' | 'skipped' | 'never-run';

/** The list marker of each state, the same in `status` and the TUI. */
export const STATE_MARKERS: Record<MigrationState, string> = { applied: '✓', pending: '·', dirty: '✗', missing: '?', changed: '≠', outdated: '↻', skipped: '-', 'never-run': '○' };

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
    else if (state.version === NIL_VERSION && rows[0]) {
      // golang-migrate's (-1, dirty): the down of the first migration failed part-way.
      rows[0].state = 'dirty';
      rows[0].problems.push('its down failed part-way: the database is dirty at version -1 (no version recorded)');
    }
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

/** The journal's steps, oldest first, as never-run detection needs them. */
export interface JournalStep {
  version: Version;
  direction: 'up' | 'down' | 'force';
  outcome: string;
  fromVersion?: Version | null;
  targetVersion: Version;
}

export interface NeverRunCheck {
  /** The lowest version above which the journal has an unbroken record (null: no usable record). */
  reachesBack: Version | null;
}

/**
 * Marks `never run` the versions below the current one that golang-migrate counts as applied but Ladder's
 * journal shows were stepped over (an up went from below them to above them) with no later record of
 * running them, provided the journal's record from that step to now is unbroken (each step starts where
 * the one before it left the database, and the last one left it where it is now). Pure; returns how far
 * back the journal can tell.
 */
export function markNeverRun(status: Status, steps: JournalStep[]): NeverRunCheck {
  const chainStart = unbrokenFrom(steps, status.version);
  if (chainStart === undefined) return { reachesBack: null };
  const tail = steps.slice(chainStart);
  const first = tail[0];
  const reachesBack = first?.fromVersion ?? null;
  // One pass over the steps, not one per row (10,000 rows times 1,000 steps was most of `status`).
  // skippedAt: the last ok up that went from below a version to above it; ranAt: the last ok run of it.
  const candidates = status.rows.filter((r) => r.state === 'applied' && !r.current).sort((x, y) => compareNumeric(x.version, y.version));
  const skippedAt = new Map<Version, number>();
  const ranAt = new Map<Version, number>();
  let lastForce = -1;
  tail.forEach((e, i) => {
    if (e.direction === 'force') lastForce = i;
    else if (e.outcome === 'ok') ranAt.set(e.version, i);
    if (e.direction !== 'up' || e.outcome !== 'ok' || e.fromVersion === null || e.fromVersion === undefined) return;
    for (let k = firstAbove(candidates, e.fromVersion); k < candidates.length && below(candidates[k]!.version, e.version); k++) skippedAt.set(candidates[k]!.version, i);
  });
  for (const r of candidates) {
    const at = skippedAt.get(r.version);
    if (at === undefined) continue;
    if ((ranAt.get(r.version) ?? -1) >= at || lastForce >= at) continue;
    r.state = 'never-run';
    r.problems.push('never run: Ladder\'s journal shows the database went past this version without running it (it was added later with a lower number); golang-migrate counts it as applied and will skip it');
  }
  return { reachesBack };
}

/** Index of the oldest step from which the journal's record runs unbroken to the current version; undefined: it does not end there. */
function unbrokenFrom(steps: JournalStep[], current: Version): number | undefined {
  const last = steps[steps.length - 1];
  if (!last || last.targetVersion !== current) return undefined;
  let i = steps.length - 1;
  while (i > 0 && steps[i]!.fromVersion != null && steps[i]!.fromVersion === steps[i - 1]!.targetVersion) i--;
  return i;
}

/** Index of the first row (sorted by version) above v. */
function firstAbove(rows: { version: Version }[], v: Version): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(v, rows[mid]!.version)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function below(a: Version, b: Version): boolean {
  return compareNumeric(a, b) < 0;
}
