import type { Project } from '../project.js';
import type { MigrateStep, Plan } from '../plan.js';
import type { Migration, SourceListing } from '../../formats/types.js';
import { LadderError } from '../../errors.js';
import { lint } from './core.js';
import { gatherFacts } from './facts.js';
import { readLintFile } from './files.js';
import { checkedText } from '../plan-files.js';
import type { Finding, LintConfig, LintFile } from './types.js';
import type { ScratchServer } from '../../db/scratch.js';
import type { OpenLike } from '../insight/replay.js';
import { verifyMigrations } from '../verify.js';

/** How to reach a scratch server to replay the downs on (lint --replay). */
export interface ReplayAccess {
  server: () => Promise<ScratchServer>;
  open: OpenLike;
}

export type LintSelection = { kind: 'pending' } | { kind: 'versions'; versions: string[] } | { kind: 'all' };

export interface LintResult {
  findings: Finding[];
  /** How many files (sections) were linted. */
  files: number;
  /** Whether live facts were used (false: the folder's history decided). */
  connected: boolean;
}

/** The migrations a selection names, in folder order; an unknown version is the user's error. */
function select(listing: SourceListing, sel: LintSelection, pending: Set<string> | null): Migration[] {
  if (sel.kind === 'all') return listing.migrations;
  if (sel.kind === 'pending') return listing.migrations.filter((m) => pending === null || pending.has(m.version));
  const known = new Map(listing.migrations.map((m) => [m.version, m]));
  // Exactly as the files name it, or golang-migrate's way (007 is version 7).
  const find = (v: string) => known.get(v) ?? known.get(v.replace(/^0+(?=\d)/, ''));
  const missing = sel.versions.filter((v) => !find(v));
  if (missing.length > 0)
    throw new LadderError(`No migration ${missing.join(', ')} in ${listing.dir}.`, '"ladder status" lists the versions.');
  const wanted = new Set(sel.versions.map((v) => find(v)!.version));
  return listing.migrations.filter((m) => wanted.has(m.version));
}

/** Files read at once: enough to keep the disk busy, few enough to stay clear of EMFILE. */
const READ_CONCURRENCY = 32;

async function mapLimited<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, items.length) }, worker));
  return out;
}

async function filesOf(migrations: Migration[], directions: ('up' | 'down')[], cwd: string): Promise<LintFile[]> {
  const halves = migrations.flatMap((m) => directions.map((d) => [m, d] as const));
  const read = await mapLimited(halves, ([m, d]) => readLintFile(m, d, cwd));
  return read.filter((f): f is LintFile => f !== undefined);
}

/** `ladder lint` with a database: live facts, pending = what the tool would still apply. */
export async function lintProject(project: Project, sel: LintSelection, config: LintConfig, cwd: string, replay?: ReplayAccess): Promise<LintResult> {
  const state = await project.readState();
  const status = project.status(state);
  const pending = new Set(status.rows.filter((r) => r.state === 'pending' || r.state === 'outdated').map((r) => r.version));
  const applied = new Set(status.rows.filter((r) => r.state === 'applied' || r.state === 'changed' || r.state === 'dirty').map((r) => r.version));
  const chosen = select(project.listing, sel, pending);
  const files = await filesOf(chosen, sel.kind === 'all' ? ['up', 'down'] : ['up'], cwd);
  // Earlier migrations not in the database yet still create tables the chosen ones may use.
  const first = chosen[0] ? project.listing.migrations.indexOf(chosen[0]) : 0;
  const history = await filesOf(project.listing.migrations.slice(0, Math.max(0, first)).filter((m) => !applied.has(m.version)), ['up'], cwd);
  const db = await gatherFacts(project.session.client, [...history, ...files]);
  if (replay) await attachReplay(project, files, replay);
  return { findings: lint({ files, history, db, config }), files: files.length, connected: true };
}

/** Runs verify's replay and gives each up what it saw of its down, so the finding says which evidence it rests on. */
async function attachReplay(project: Project, files: LintFile[], access: ReplayAccess): Promise<void> {
  const server = await access.server();
  try {
    const report = await verifyMigrations(project, server, access.open);
    if (report.upFailed) throw new LadderError(`--replay: the up of ${report.upFailed.version} fails on an empty scratch database (${report.scratch}): ${report.upFailed.error}`, 'Nothing was changed. Fix that migration, or lint without --replay.');
    const byVersion = new Map(report.results.map((r) => [r.version, r]));
    for (const f of files) {
      const r = byVersion.get(f.version);
      const up = f.direction === 'up' ? f : f.other;
      if (!up || !r || r.status === 'not-checked') continue;
      up.replayed = { status: r.status, differences: r.differences, ...(r.error ? { error: r.error } : {}), where: report.scratch };
    }
  } finally {
    await server.close();
  }
}

/** `ladder lint` without a database: every migration counts as pending, the folder's history decides. */
export async function lintFolder(listing: SourceListing, sel: LintSelection, config: LintConfig, cwd: string): Promise<LintResult> {
  const chosen = select(listing, sel, null);
  const files = await filesOf(chosen, sel.kind === 'all' ? ['up', 'down'] : ['up'], cwd);
  const first = chosen[0] ? listing.migrations.indexOf(chosen[0]) : 0;
  const history = await filesOf(listing.migrations.slice(0, Math.max(0, first)), ['up'], cwd);
  return { findings: lint({ files, history, config }), files: files.length, connected: false };
}

/** The findings of a plan's steps, against the live database, before anything runs. */
export async function lintPlan(project: Project, plan: Plan, config: LintConfig, cwd: string): Promise<Finding[]> {
  const byVersion = new Map(project.listing.migrations.map((m) => [m.version, m]));
  const steps = plan.steps.filter((s) => s.kind === 'migrate' && s.file !== undefined) as MigrateStep[];
  // A file that cannot be read is the run's to report; lint checks what it can read.
  const read = await mapLimited(steps, (s) => readLintFile(byVersion.get(s.version) ?? { version: s.version, name: s.name, [s.direction]: s.file }, s.direction, cwd, (f) => checkedText(plan, f)).catch(() => undefined));
  const files = read.filter((f): f is LintFile => f !== undefined);
  if (files.length === 0) return [];
  const db = await gatherFacts(project.session.client, files);
  return lint({ files, db, config });
}
