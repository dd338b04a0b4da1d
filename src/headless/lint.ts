import type { Project } from '../engine/project.js';
import type { Plan } from '../engine/plan.js';
import type { SourceListing } from '../formats/types.js';
import type { CliIO } from './io.js';
import { LadderError } from '../errors.js';
import { loadLintConfig } from '../engine/lint/config.js';
import { lintFolder, lintPlan, lintProject, type LintResult, type LintSelection, type ReplayAccess } from '../engine/lint/project-lint.js';
import type { Finding } from '../engine/lint/types.js';

/** `ladder lint [--json] [V…] [--all]`: exit 1 when an error-severity finding remains. */
export async function lintCommand(source: { project: Project } | { listing: SourceListing }, io: CliIO, o: { json: boolean; selection: LintSelection; cwd: string; replay?: ReplayAccess }): Promise<number> {
  const config = await loadLintConfig(o.cwd);
  const result: LintResult =
    'project' in source ? await lintProject(source.project, o.selection, config, o.cwd, o.replay) : await lintFolder(source.listing, o.selection, config, o.cwd);
  if (o.json) {
    const findings = result.findings.map(({ rule, severity, file, line, column, message, fix, statement, version, direction }) => ({ rule, severity, file, line, column, message, fix, statement, version, direction }));
    io.out(`${JSON.stringify({ findings })}\n`);
  } else {
    for (const f of result.findings) io.out(findingText(f));
    io.out(`${summary(result.findings)} in ${result.files} file${result.files === 1 ? '' : 's'}; ${result.connected ? 'checked against the live database' : 'no database given, so every migration counts as pending and the folder\'s history decides what exists'}.\n`);
  }
  return result.findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export function findingText(f: Finding): string {
  const head = `${f.file}:${f.line}:${f.column}: ${f.severity} [${f.rule}]${f.statement ? ` ${f.statement}` : ''}\n`;
  return `${head}  why: ${f.message}\n  fix: ${f.fix}\n`;
}

export function summary(findings: Finding[]): string {
  if (findings.length === 0) return 'No findings';
  const n = (sev: Finding['severity']) => findings.filter((f) => f.severity === sev).length;
  const parts = [`${n('error')} error${n('error') === 1 ? '' : 's'}`, `${n('warning')} warning${n('warning') === 1 ? '' : 's'}`, `${n('info')} info`];
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} (${parts.join(', ')})`;
}

/**
 * The safety review printed before a headless plan runs (stderr, so stdout keeps golang-migrate's lines).
 * A bad .ladder.toml stops the command before anything runs; a fault of the linter itself does not.
 */
export async function printPlanFindings(project: Project, plan: Plan, io: CliIO, cwd: string): Promise<void> {
  const config = await loadLintConfig(cwd);
  let findings: Finding[];
  try {
    findings = await lintPlan(project, plan, config, cwd);
  } catch (err) {
    if (err instanceof LadderError) throw err;
    io.err(`lint: could not check this plan (${(err as Error).message}); running it unchecked.\n`);
    return;
  }
  // Conventions (info) are left to "ladder lint": a plan's output keeps to what happens to the database.
  const shown = findings.filter((f) => f.severity !== 'info');
  if (shown.length === 0) return;
  io.err(`lint: ${summary(shown)} in this plan, before anything runs:\n`);
  for (const f of shown) io.err(findingText(f));
}
