import { tmpdir } from 'node:os';
import { runCli } from '../../src/cli/run-cli.js';
import type { CliIO } from '../../src/headless/io.js';
import { redact } from '../../src/redact.js';
import { cleanEnv, type CliResult, type RunOptions } from './cli.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one ladder command in this process (the CLI's own code path, without spawning a child). */
export async function ladderIn(args: string[], env: Record<string, string> = {}, cwd = process.cwd()): Promise<InProcessResult> {
  return runRecorded(args, { NO_COLOR: '1', ...env }, cwd);
}

/**
 * ladder() without the child process: the same arguments, environment (cleanEnv) and working directory a
 * spawned bin/ladder gets, through the same runCli and redaction. For commands whose subject is not the
 * process itself (setup, diagnosis, output text); exit codes as a shell sees them, signals and the sandbox
 * keep the real binary. stdin is not a terminal, as in a spawn, so nothing is asked.
 */
export function ladderLocal(args: string[], opts: Omit<RunOptions, 'input'> = {}): Promise<CliResult> {
  return runRecorded(args, cleanEnv(opts.env), opts.cwd ?? tmpdir());
}

async function runRecorded(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    out: (t) => (stdout += redact(t)),
    err: (t) => (stderr += redact(t)),
    interactive: false,
    ask: async () => '',
  };
  const code = await runCli(args, io, { env, cwd });
  return { code, stdout, stderr };
}
