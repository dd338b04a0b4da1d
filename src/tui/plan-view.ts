import { NIL_VERSION } from '../formats/types.js';
import { DEFAULT_CAPABILITIES, type Capabilities } from './capabilities.js';
import { describeIntent, recordLabel, stepLabel, type Plan, type Step } from '../engine/plan.js';
import type { SourceListing } from '../formats/types.js';
import type { Tracking } from '../engine/project.js';
import type { SqlDocument } from './sql-document.js';
import type { PlanFinding, PlanStepView, PlanView } from './state.js';
import type { Finding } from '../engine/lint/types.js';
import { errText, versionText } from './text.js';

const PLAN_STEPS_SHOWN = 300;
const PLAN_LINES_PER_STEP = 200;

export interface PlanViewDeps {
  load(path: string): Promise<SqlDocument>;
  /** The part of a file the tool runs (dbmate's up or down section), numbered as in the file; load() of the file when absent. */
  section?(path: string, direction: 'up' | 'down', sql: string): Promise<SqlDocument>;
  tracking: Pick<Tracking, 'table' | 'forceMeaning' | 'forceSql'>;
  listing: SourceListing;
  /** current_database(): what "down everything" asks the user to type. */
  databaseName: string;
  /** The tool's name in sentences. */
  tool?: string;
  /** What differs between tools (one version and a dirty flag when absent). */
  caps?: Capabilities;
}

/** What the plan panel shows: every step with the SQL it runs (read from the files), its lint findings, and how to confirm. */
export async function buildPlanView(p: Plan, deps: PlanViewDeps, warning: string | null = null, lint: Finding[] = []): Promise<PlanView> {
  const steps: PlanStepView[] = [];
  const shown = p.steps.slice(0, PLAN_STEPS_SHOWN);
  for (const step of shown) steps.push(await stepView(step, deps));
  const n = p.steps.length;
  const from = versionText(p.from.version) + (p.from.dirty ? ' (dirty)' : '');
  const steps_ = `${n} step${n === 1 ? '' : 's'}`;
  const noTx = p.steps.some((s) => s.kind === 'migrate' && s.file?.transaction === false);
  const summary = p.recover
    ? deps.caps?.rowWrittenWithStep
      ? `A way out of the step that did not finish: ${steps_}. Recording a row runs no SQL; a migration step's SQL and its row in ${deps.tracking.table} commit together${noTx ? ' (a step marked "no transaction" runs outside one)' : ''}.`
      : `From ${from} to ${versionText(p.to)}, a way out of the dirty state: ${steps_} (a force runs no SQL; a migration is recorded dirty, then clean).`
    : p.steps.length > 0 && p.steps.every((s) => s.kind === 'record')
      ? `Writes ${deps.tracking.table} only; no migration SQL runs. Now: ${from}.`
      : p.intent.kind === 'never-run'
        ? `Runs ${p.intent.version} out of order, below ${from}: the journal shows the database went past it without running it, and the tool counts it as applied. ${deps.tracking.table} stays at ${versionText(p.to)} (dirty while it runs, clean after).`
        : p.intent.kind === 'force'
        ? `Records ${versionText(p.to)} (clean) in ${deps.tracking.table} without running any migration SQL. Now: ${from}.`
        : deps.caps?.rowWrittenWithStep
          ? `From ${from} to ${versionText(p.to)}: ${steps_}, one at a time, as ${deps.tool ?? 'the tool'} runs them: each step's SQL and its row in ${deps.tracking.table} commit together${noTx ? ' (a step marked "no transaction" runs outside one: if it fails, what ran before the error stays)' : ''}.`
          : `From ${from} to ${versionText(p.to)}: ${steps_}, one at a time; each is recorded dirty before its SQL runs and clean after.`;
  const downAll = p.intent.kind === 'down' && p.intent.limit === undefined;
  const findings = planFindings(p, lint);
  markSteps(steps, findings);
  const error = findings.find((f) => f.severity === 'error');
  const errorStep = error ? p.steps[error.step] : undefined;
  const confirm: PlanView['confirm'] = downAll
    ? { kind: 'name', expected: deps.databaseName }
    : errorStep && errorStep.kind === 'migrate'
      ? { kind: 'name', expected: errorStep.version, prompt: `Type ${errorStep.version} to run it anyway: lint found an error in ${errorStep.direction} ${errorStep.version} (it fails or loses data)` }
      : { kind: 'yes' };
  const notes = p.intent.kind === 'force' && (deps.caps ?? DEFAULT_CAPABILITIES).tracks === 'version' && !p.recover ? forceNotes(p.from.version, p.intent.version, deps) : [];
  return {
    ...(notes.length > 0 ? { notes } : {}),
    intent: p.intent,
    title: planTitle(p),
    summary,
    steps,
    moreSteps: n - shown.length,
    confirm,
    findings,
    signature: planSignature(p),
    warning,
  };
}

/** Each finding tied to the step whose file it is in (by version and direction). */
function planFindings(p: Plan, lint: Finding[]): PlanFinding[] {
  const out: PlanFinding[] = [];
  for (const f of lint) {
    const step = p.steps.findIndex((s) => s.kind === 'migrate' && s.version === f.version && s.direction === f.direction);
    if (step >= 0) out.push({ severity: f.severity, rule: f.rule, where: `${f.file.slice(f.file.lastIndexOf('/') + 1)}:${f.line}:${f.column}`, step, statement: f.statement, message: f.message, fix: f.fix });
  }
  return out;
}

const MARK = { error: '✗', warning: '⚠', info: 'i' } as const;

/** "✗ 1 error ⚠ 2 warnings" after a step's detail. */
function markSteps(steps: PlanStepView[], findings: PlanFinding[]): void {
  steps.forEach((s, i) => {
    const mine = findings.filter((f) => f.step === i);
    if (mine.length === 0) return;
    const parts = (['error', 'warning', 'info'] as const)
      .map((sev) => [sev, mine.filter((f) => f.severity === sev).length] as const)
      .filter(([, n]) => n > 0)
      .map(([sev, n]) => `${MARK[sev]} ${n} ${sev === 'info' ? 'info' : `${sev}${n === 1 ? '' : 's'}`}`);
    s.lint = parts.join(' ');
  });
}

async function stepView(step: Step, deps: PlanViewDeps): Promise<PlanStepView> {
  if (step.kind === 'force') {
    return {
      title: `force ${step.version}`,
      detail: `records ${versionText(step.version)} as clean; no migration runs`,
      doc: null,
      lines: deps.tracking.forceSql
        ? ['BEGIN;', ...deps.tracking.forceSql(step.version).split(';').filter((x) => x.trim() !== '').map((x) => `${x.trim()};`), 'COMMIT;']
        : [`-- ${deps.tracking.forceMeaning}`],
      shown: 0,
    };
  }
  if (step.kind === 'record') {
    // "record 3 as applied without running it: inserts the row sqlx would write ...": one comment line per clause.
    const [what, ...how] = step.text.split(': ');
    return {
      title: recordLabel(step),
      detail: `writes ${deps.tracking.table}; no migration SQL runs`,
      doc: null,
      lines: [`-- ${what}${how.length > 0 ? ':' : ''}`, ...(how.length > 0 ? [`--   ${how.join(': ')}`] : [])],
      shown: 0,
    };
  }
  if (step.kind === 'drop') return { title: 'drop', detail: 'drops every table in the current schema', doc: null, lines: [], shown: 0 };
  const name = step.name || deps.listing.migrations.find((m) => m.version === step.version)?.name || '';
  const title = isRepeatable(step.version) ? `${step.direction} R ${name}` : `${step.direction} ${step.version} ${name}`.trimEnd();
  if (!step.file)
    return {
      title,
      detail: `no ${step.direction} file`,
      doc: null,
      lines: [`-- no ${step.direction} file: runs nothing, records ${versionText(step.target)}`],
      shown: 0,
    };
  try {
    const f = step.file;
    const section = f.sql !== undefined && deps.section !== undefined;
    const doc = section ? await deps.section!(f.path, step.direction, f.sql!) : await deps.load(f.path);
    const empty = isEmpty(doc);
    // A section of the file (dbmate) says where it is in the file.
    const lines = doc.firstLine > 0 ? `lines ${doc.firstLine + 1}-${doc.firstLine + doc.lineCount}` : `${doc.lineCount} line${doc.lineCount === 1 ? '' : 's'}`;
    return {
      title,
      detail: `${f.file} (${lines})${f.transaction === false ? ' (no transaction)' : ''}${empty ? ' (empty: runs nothing)' : ''}`,
      doc,
      lines: [],
      shown: Math.min(doc.lineCount, PLAN_LINES_PER_STEP),
    };
  } catch (err) {
    return { title, detail: step.file.file, doc: null, lines: [`-- cannot read ${step.file.file}: ${errText(err)}`], shown: 0 };
  }
}

/** Nothing but blank lines and -- comments (a dbmate section with only its directive line): runs nothing. */
function isEmpty(doc: SqlDocument): boolean {
  if (doc.lineCount > 20) return false;
  for (let i = 0; i < doc.lineCount; i++) {
    const l = doc.line(i).trim();
    if (l !== '' && !l.startsWith('--')) return false;
  }
  return true;
}

/** The log's name for a step: "3/u users" (golang-migrate's), "force 7". */
export function stepText(step: Step): string {
  if (step.kind === 'migrate') return isRepeatable(step.version) ? `R/${step.direction === 'up' ? 'u' : 'd'} ${step.name}` : stepLabel(step);
  if (step.kind === 'force') return `force ${step.version}`;
  if (step.kind === 'record') return recordLabel(step);
  return 'drop';
}

/** Identifies the exact steps: a run refuses when re-planning under the lock gives other steps. */
export function planSignature(p: Plan): string {
  return p.steps.map((s) => (s.kind === 'migrate' ? `${s.direction}:${s.version}` : s.kind === 'force' ? `force:${s.version}` : s.kind === 'record' ? `${s.action}:${s.version}` : 'drop')).join(',');
}

/** "up 1", "down -all", "recover 3 (retry)". */
export function planName(p: Plan): string {
  return p.recover ? `recover ${p.recover.version} (${p.recover.option})` : describeIntent(p.intent);
}

/** describePlan, shortened for long plans: "up runs: up 1, up 2, up 3, up 4, …, up 11, up 12". */
export function planTitle(p: Plan): string {
  const parts = p.steps.map((s) =>
    s.kind === 'migrate' ? `${s.direction} ${shortVersion(s.version)}` : s.kind === 'force' ? `force ${s.version}` : s.kind === 'record' ? recordLabel(s) : 'drop',
  );
  const shown = parts.length > 10 ? [...parts.slice(0, 4), '…', ...parts.slice(-2)] : parts;
  return `${planName(p)} runs: ${shown.join(', ')}`;
}

/** A Flyway repeatable's key ("R__<description>"): no version; every versioned key starts with a digit. */
function isRepeatable(version: string): boolean {
  return version.startsWith('R__');
}

/** A step's version as titles show it: a repeatable as R "description". */
function shortVersion(version: string): string {
  return isRepeatable(version) ? `R "${version.slice(3)}"` : version;
}

/** golang-migrate's force writes one number: what that means for the files around it, said before y. */
function forceNotes(from: string, to: string, deps: PlanViewDeps): string[] {
  const notes: string[] = [];
  const num = (v: string) => (/^-?\d+$/.test(v) ? BigInt(v) : null);
  const a = num(from);
  const b = num(to);
  if (a === null || b === null) return notes;
  const versions = deps.listing.migrations.map((m) => m.version);
  if (to !== NIL_VERSION && !versions.includes(to)) notes.push(`Version ${to} has no file in the folder: the database will record a version no migration here has.`);
  const list = (vs: string[]) => (vs.length <= 6 ? vs.join(', ') : `${vs.slice(0, 3).join(', ')}, … ${vs.slice(-2).join(', ')}`);
  if (b > a) {
    const between = versions.filter((v) => {
      const n = num(v);
      return n !== null && n > a && n <= b;
    });
    if (between.length > 0) notes.push(`${between.length === 1 ? 'Version' : `${between.length} versions:`} ${list(between)} will count as applied without running: their SQL never runs unless you go down past them and up again.`);
  } else if (b < a) {
    const above = versions.filter((v) => {
      const n = num(v);
      return n !== null && n > b && n <= a;
    });
    if (above.length > 0) notes.push(`${above.length === 1 ? 'Version' : `${above.length} versions:`} ${list(above)} will count as not applied, though what they changed stays in the database: up will run them again.`);
  }
  return notes;
}
