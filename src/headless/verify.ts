import type { CliIO } from './io.js';
import { openScratchServer } from '../db/scratch.js';
import type { OpenLike } from '../engine/insight/replay.js';
import type { Project } from '../engine/project.js';
import { verifyMigrations, type VerifyResult } from '../engine/verify.js';

export interface InsightOptions {
  json: boolean;
  /** --scratch URL: a server where Ladder may create and drop its own databases (default: an embedded PostgreSQL). */
  scratch?: string;
  open: OpenLike;
}

/** ladder verify: every down must restore the schema its up started from. Exit 1 when one does not. */
export async function verifyCommand(project: Project, io: CliIO, opts: InsightOptions): Promise<number> {
  const server = await openScratchServer(project.target, opts.scratch);
  try {
    const report = await verifyMigrations(project, server, opts.open);
    if (opts.json) {
      io.out(JSON.stringify(report, null, 2) + '\n');
      return report.ok ? 0 : 1;
    }
    if (report.upFailed) {
      const u = report.upFailed;
      io.err(`error: up of ${u.version} fails on an empty database (${report.scratch}): ${u.error}${u.file ? ` at ${u.file}${u.line ? `:${u.line}` : ''}` : ''}\n`);
      io.err('Nothing after it could be checked. Fix that migration first.\n');
      return 1;
    }
    io.out(`Checked ${report.results.length} migration${report.results.length === 1 ? '' : 's'} on a scratch database (${report.scratch}): up all, then each down, up and down again from the top.\n`);
    for (const r of report.results) io.out(lineOf(r));
    const bad = report.results.filter((r) => r.status !== 'ok' && r.status !== 'not-checked');
    const unchecked = report.results.filter((r) => r.status === 'not-checked');
    if (unchecked.length > 0) io.out(`Not checked (no down migration): ${unchecked.map((r) => r.version).join(', ')}\n`);
    if (bad.length > 0) {
      io.err(`error: ${bad.length} down migration${bad.length === 1 ? ' does' : 's do'} not restore the schema: ${bad.map((r) => r.version).join(', ')}\n`);
      return 1;
    }
    io.out('Every down migration that exists restores the schema its up started from.\n');
    return 0;
  } finally {
    await server.close();
  }
}

function lineOf(r: VerifyResult): string {
  const head = `${r.version} ${r.name}`;
  switch (r.status) {
    case 'ok':
      return `ok      ${head}\n`;
    case 'not-checked':
      return `-       ${head}: not checked (${r.error})\n`;
    case 'down-failed':
      return `FAILED  ${head}: down of ${r.version} fails: ${r.error}${r.file ? ` at ${r.file}${r.line ? `:${r.line}` : ''}` : ''}\n`;
    case 'leaves':
      return `FAILED  ${head}: down of ${r.version} leaves:\n${r.differences.map((d) => `          ${d}\n`).join('')}`;
    case 'reup-differs':
      return r.error
        ? `FAILED  ${head}: up of ${r.version} fails after its down: ${r.error}${r.line ? ` (line ${r.line})` : ''}\n`
        : `FAILED  ${head}: up of ${r.version} after its down differs from the first up:\n${r.differences.map((d) => `          ${d}\n`).join('')}`;
  }
}
