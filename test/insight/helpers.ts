import { inject } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { CliIO } from '../../src/headless/io.js';
import { redact } from '../../src/redact.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one ladder command in this process (the CLI's own code path, without spawning a child). */
export async function ladderIn(args: string[], env: Record<string, string> = {}, cwd = process.cwd()): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (t) => (stdout += redact(t)),
    err: (t) => (stderr += redact(t)),
    interactive: false,
    ask: async () => '',
  };
  const code = await runCli(args, io, { env: { NO_COLOR: '1', ...env }, cwd });
  return { code, stdout, stderr };
}

/** The test server itself as --scratch: Ladder creates and drops its own databases there. */
export const scratchArgs = (): string[] => ['--scratch', inject('adminUrl')];
