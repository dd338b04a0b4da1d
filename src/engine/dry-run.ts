import { readFile } from 'node:fs/promises';
import { catalogSnapshot, schemaChanges, type SchemaChange } from '../db/catalog.js';
import { splitStatements, type SqlStatement } from '../db/statements.js';
import { touchedNames } from '../db/touched.js';
import type { Notice } from '../db/session.js';
import type { Project } from './project.js';
import type { MigrateStep, Plan } from './plan.js';
import { describeFailure } from './run.js';
import { ownTables, Replay, type OpenLike } from './insight/replay.js';
import type { ScratchServer } from '../db/scratch.js';
import { NIL_VERSION } from '../formats/types.js';

export type RehearsalStatus = 'ok' | 'would-fail' | 'not-rehearsed';

export interface Rehearsal {
  step: MigrateStep;
  status: RehearsalStatus;
  durationNs?: bigint;
  notices: Notice[];
  changes: SchemaChange[];
  /** would-fail: PostgreSQL's message, where in the file, and that line's text. */
  error?: { message: string; line?: number; column?: number; lineText?: string; file?: string };
  /** not-rehearsed: why; onScratch: where and why there. */
  reason?: string;
  /** Run for real on a scratch copy instead of in the rolled-back transaction. */
  onScratch?: boolean;
}

/**
 * Runs a plan's SQL inside one transaction that is rolled back at the end: what each step would do
 * (notices, duration, schema changes) and whether it would fail. Nothing is written: no tracking row, no
 * journal row, no schema change. A step that cannot run in a transaction is not rehearsed, and neither
 * are the steps after it (their starting point would be unknown). The caller holds the lock.
 */
export interface ScratchRehearsal {
  /** Opened only when a step cannot be rehearsed in the transaction. */
  server: () => Promise<ScratchServer>;
  open: OpenLike;
}

export async function rehearsePlan(project: Project, plan: Plan, scratch?: ScratchRehearsal): Promise<Rehearsal[]> {
  const db = project.session.client;
  const serverVersion = Number((await db.query('SHOW server_version_num')).rows[0].server_version_num);
  const exclude = ownTables(project);
  const out: Rehearsal[] = [];
  let blocked: string | undefined;
  let notices: Notice[] = [];
  project.session.onNotice((n) => notices.push(n));
  await db.query('BEGIN');
  try {
    for (const step of plan.steps) {
      if (step.kind !== 'migrate') continue;
      const base = { step, notices: [] as Notice[], changes: [] as SchemaChange[] };
      if (blocked) {
        out.push({ ...base, status: 'not-rehearsed', reason: blocked });
        continue;
      }
      const body = step.file ? (step.file.sql ?? (await readFile(step.file.path, 'utf8'))) : '';
      if (body.trim() === '') {
        out.push({ ...base, status: 'ok', durationNs: 0n });
        continue;
      }
      const split = await splitStatements(body);
      const statements = split.ok ? split.statements : [];
      const why = notRehearsable(step, statements, serverVersion);
      if (why) {
        out.push({ ...base, status: 'not-rehearsed', reason: why });
        blocked = `it comes after ${step.version}, which cannot run in a transaction`;
        continue;
      }
      const names = await touchedNames(body);
      const snap = () => catalogSnapshot(db, undefined, { excludeTables: exclude, names: names ?? undefined });
      const before = await snap();
      notices = [];
      await db.query('SAVEPOINT ladder_dry_run');
      const started = process.hrtime.bigint();
      try {
        await db.query(body);
        const durationNs = process.hrtime.bigint() - started;
        const changes = schemaChanges(before, await snap(), { defaultSchema: project.schema });
        await db.query('RELEASE SAVEPOINT ladder_dry_run');
        out.push({ ...base, status: 'ok', durationNs, notices, changes });
      } catch (err) {
        const durationNs = process.hrtime.bigint() - started;
        await db.query('ROLLBACK TO SAVEPOINT ladder_dry_run');
        const error = await failureIn(project, step, body, statements, err);
        out.push({ ...base, status: 'would-fail', durationNs, notices, error });
        blocked = `comes after ${step.version}, which would fail`;
      }
    }
  } finally {
    project.session.onNotice(undefined);
    await db.query('ROLLBACK').catch(() => undefined);
  }
  const first = out.findIndex((r) => r.status === 'not-rehearsed');
  if (scratch && first >= 0 && !out.some((r) => r.status === 'would-fail')) await onScratchCopy(project, plan, out, first, scratch);
  return out;
}

/**
 * The steps from the first one a transaction cannot hold, run for real on a scratch database replayed
 * up to the plan's starting version: the non-transactional step itself and the ones after it.
 */
async function onScratchCopy(project: Project, plan: Plan, all: Rehearsal[], first: number, scratch: ScratchRehearsal): Promise<void> {
  const rest = all.slice(first);
  const server = await scratch.server();
  try {
    const exclude = ownTables(project);
    const replay = await Replay.start(server, scratch.open, exclude);
    try {
      if (plan.from.version !== NIL_VERSION) {
        const r = await replay.run({ kind: 'goto', version: plan.from.version });
        if (!r.ok) {
          for (const x of rest) x.reason += `; a scratch copy could not be made (replaying up to ${plan.from.version} failed: ${r.error})`;
          return;
        }
      }
      const drift = schemaChanges(await replay.snapshot(), await catalogSnapshot(project.session.client, undefined, { excludeTables: exclude })).length;
      // The steps already rehearsed in the transaction bring the copy to where the first one left off.
      for (const r of all.slice(0, first)) {
        const res = await replay.run({ kind: r.step.direction, limit: 1 });
        if (!res.ok) {
          for (const x of rest) x.reason += `; on a scratch copy, ${r.step.version} failed first (${res.error})`;
          return;
        }
      }
      const copy = `rehearsed on a scratch copy (${server.where})${drift ? `, which differs from the database in ${drift} object${drift === 1 ? '' : 's'} (ladder drift)` : ''}`;
      for (const r of rest) {
        const notices: Notice[] = [];
        const before = await replay.snapshot();
        const started = process.hrtime.bigint();
        const res = await replay.run({ kind: r.step.direction, limit: 1 }, (e) => (e.type === 'notice' ? notices.push(e.notice) : undefined));
        const durationNs = process.hrtime.bigint() - started;
        const why = r.reason;
        Object.assign(r, { durationNs, notices, reason: `${copy}; not in the transaction because ${why}`, onScratch: true });
        if (!res.ok) {
          Object.assign(r, { status: 'would-fail', error: { message: res.error, line: res.line, file: res.file } });
          return;
        }
        Object.assign(r, { status: 'ok', changes: schemaChanges(before, await replay.snapshot(), { defaultSchema: project.schema }) });
      }
    } finally {
      await replay.close();
    }
  } finally {
    await server.close();
  }
}

/** Why a step cannot be rehearsed in a transaction, or undefined. */
function notRehearsable(step: MigrateStep, statements: SqlStatement[], serverVersion: number): string | undefined {
  if (step.file?.transaction === false) return "its tool runs it outside a transaction (dbmate's transaction:false)";
  for (const s of statements) {
    if (s.nonTransactional) return `line ${s.startLine} cannot run inside a transaction: ${firstLine(s.text)}`;
    if (s.transaction === 'commit' || s.transaction === 'begin' || s.transaction === 'rollback')
      return `the file has its own ${s.transaction.toUpperCase()} (line ${s.startLine}), which would end the rehearsal's transaction`;
    if (s.kind === 'AlterEnumStmt' && serverVersion < 120000 && /add\s+value/i.test(s.text))
      return `line ${s.startLine}: ALTER TYPE ... ADD VALUE cannot run inside a transaction before PostgreSQL 12`;
  }
  return undefined;
}

/**
 * PostgreSQL's message and the file line. Errors without a position (DROP TABLE of a missing table)
 * are located by running the statements one at a time up to the one that fails.
 */
async function failureIn(project: Project, step: MigrateStep, body: string, statements: SqlStatement[], err: unknown): Promise<NonNullable<Rehearsal['error']>> {
  const db = project.session.client;
  const e = describeFailure(err, body);
  let line = e.line;
  let column = e.column;
  if (line === undefined && statements.length > 1) {
    await db.query('SAVEPOINT ladder_dry_run');
    for (const s of statements) {
      try {
        await db.query(s.text);
      } catch {
        line = s.startLine;
        column = undefined;
        break;
      }
    }
    await db.query('ROLLBACK TO SAVEPOINT ladder_dry_run');
  } else if (line === undefined && statements.length === 1) line = statements[0]!.startLine;
  // A dbmate section: its lines counted in the file the user edits.
  let offset = 0;
  if (step.file?.sql !== undefined && line !== undefined) {
    const text = await readFile(step.file.path, 'utf8').catch(() => '');
    const at = text.indexOf(body);
    if (at > 0) offset = text.slice(0, at).split('\n').length - 1;
  }
  const lineText = line === undefined ? undefined : body.split(/\r?\n/)[line - 1];
  return { message: e.message, line: line === undefined ? undefined : line + offset, column, lineText, file: step.file?.path };
}

function firstLine(text: string): string {
  const l = text.split('\n')[0]!;
  return l.length > 80 ? `${l.slice(0, 77)}...` : l;
}
