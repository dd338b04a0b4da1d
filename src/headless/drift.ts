import type { CliIO } from './io.js';
import { openScratchServer } from '../db/scratch.js';
import { detectDrift } from '../engine/drift.js';
import type { Project } from '../engine/project.js';
import type { InsightOptions } from './verify.js';

/** ladder drift: the database against its migrations replayed on a scratch database. Exit 1 on drift. */
export async function driftCommand(project: Project, io: CliIO, opts: InsightOptions): Promise<number> {
  const server = await openScratchServer(project.target, opts.scratch);
  try {
    const report = await detectDrift(project, server, opts.open);
    if (report.versionNote) io.err(`note: ${report.versionNote}\n`);
    if (opts.json) {
      io.out(JSON.stringify({ ...report, drift: report.drift.map(({ line: _line, ...c }) => c) }, null, 2) + '\n');
      return report.drift.length > 0 ? 1 : 0;
    }
    const at = report.version === '-1' ? 'with no migration applied' : `at version ${report.version}`;
    if (report.drift.length === 0) {
      io.out(`No drift: the database ${at} is what its migrations make (replayed on ${report.scratch}).\n`);
      return 0;
    }
    io.out(`Drift: the database ${at} differs from its migrations replayed on ${report.scratch}:\n`);
    for (const d of report.drift) io.out(`  ${d.line}\n`);
    io.err(`error: ${report.drift.length} difference${report.drift.length === 1 ? '' : 's'} from what the migrations make\n`);
    return 1;
  } finally {
    await server.close();
  }
}
