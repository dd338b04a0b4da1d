import type { ScratchServer } from '../../db/scratch.js';
import { detectDrift } from '../../engine/drift.js';
import { lastStepDiff } from '../../engine/step-diff.js';
import { loadLintConfig } from '../../engine/lint/config.js';
import { lintProject } from '../../engine/lint/project-lint.js';
import type { Version } from '../../formats/types.js';
import { errText } from '../text.js';
import type { ControllerContext } from './context.js';
import { scratchAccess } from './scratch.js';

/** What a version's last run changed in the schema, as lines for the detail view (the same facts as `ladder diff V`). */
export async function stepDiffLines(ctx: ControllerContext, version: Version): Promise<string[]> {
  try {
    const { entry, changes, why } = await lastStepDiff(ctx.project, version);
    const run = `${entry.direction} of ${entry.version} at ${entry.startedAt} (${entry.outcome})`;
    if (changes === null) return [`${run}: not known, ${why}.`];
    if (changes.length === 0) return [`${run}: nothing in the schema (it changed data only, or nothing).`];
    return [`${run}:`, ...changes.map((c) => c.text)];
  } catch (err) {
    const e = err as { message?: string; hint?: string };
    return [e.hint ? `${errText({ message: e.message })} ${e.hint}` : errText(err)];
  }
}

/**
 * Drift, on request only (:drift): it replays every applied migration into a scratch database, which
 * takes seconds, so it never runs on its own or before the first frame. The header shows the result.
 */
export class DriftCheck {
  private running = false;

  constructor(private readonly ctx: ControllerContext) {}

  async check(): Promise<void> {
    const { store, project } = this.ctx;
    if (this.running) return this.ctx.log({ kind: 'info', text: 'A drift check is already running.' });
    this.running = true;
    const version = store.getState().db.state?.version ?? null;
    store.dispatch({ type: 'drift', drift: { status: 'checking', count: 0, version, error: null } });
    this.ctx.log({ kind: 'info', text: 'Checking drift: replaying the applied migrations on a scratch database…' });
    let server: ScratchServer | undefined;
    try {
      const scratch = scratchAccess(this.ctx);
      server = await scratch.server();
      const report = await detectDrift(project, server, scratch.open);
      if (this.ctx.isDisposed()) return;
      if (report.versionNote) this.ctx.log({ kind: 'warning', text: report.versionNote });
      const at = report.version === '-1' ? 'with no migration applied' : `at version ${report.version}`;
      if (report.drift.length === 0) this.ctx.log({ kind: 'ok', text: `No drift: the database ${at} is what its migrations make (replayed on ${report.scratch}).` });
      else {
        this.ctx.log({ kind: 'error', text: `Drift: the database ${at} differs from its migrations in ${report.drift.length} place${report.drift.length === 1 ? '' : 's'}:` });
        for (const d of report.drift) this.ctx.log({ kind: 'warning', text: `  ${d.line}` });
      }
      store.dispatch({ type: 'drift', drift: { status: report.drift.length > 0 ? 'found' : 'none', count: report.drift.length, version: report.version, error: null } });
    } catch (err) {
      if (this.ctx.isDisposed()) return;
      this.ctx.log({ kind: 'error', text: `Could not check drift: ${errText(err)}` });
      store.dispatch({ type: 'drift', drift: { status: 'error', count: 0, version, error: errText(err) } });
    } finally {
      this.running = false;
      await server?.close().catch(() => undefined);
    }
  }
}

/** :lint, as `ladder lint` without arguments: the pending migrations' findings, in the log. */
export async function lintPending(ctx: ControllerContext): Promise<void> {
  ctx.log({ kind: 'info', text: 'Linting the pending migrations…' });
  try {
    const config = await loadLintConfig(process.cwd());
    const r = await lintProject(ctx.project, { kind: 'pending' }, config, process.cwd());
    if (ctx.isDisposed()) return;
    if (r.findings.length === 0) return ctx.log({ kind: 'ok', text: `Lint: no findings in ${r.files} file${r.files === 1 ? '' : 's'}.` });
    for (const f of r.findings)
      ctx.log({ kind: f.severity === 'error' ? 'error' : 'warning', text: `${f.file}:${f.line}:${f.column} ${f.severity} ${f.rule}: ${f.message}` });
    ctx.log({ kind: 'info', text: `Lint: ${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} in ${r.files} file${r.files === 1 ? '' : 's'} (ladder lint explains each with its fix).` });
  } catch (err) {
    ctx.log({ kind: 'error', text: `Could not lint: ${errText(err)}` });
  }
}
