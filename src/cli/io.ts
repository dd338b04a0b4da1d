import { redact } from '../redact.js';
import type { CliIO } from '../headless/io.js';

export interface ProcessIO extends CliIO {
  /** Calls `listener` once stdout can take no more (its reader went away: `ladder status | head -1`). */
  onStdoutGone(listener: () => void): void;
}

/** The process's streams; everything passes through redact() so no password is ever printed. */
export function processIO(): ProcessIO {
  const stdout = dropWhenGone(process.stdout);
  const stderr = dropWhenGone(process.stderr);
  return {
    out: (t) => stdout.write(redact(t)),
    err: (t) => stderr.write(redact(t)),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    ask: (question) => askLine(question),
    onStdoutGone: stdout.onGone,
  };
}

/**
 * A write to a stream whose reader has gone fails later, as an 'error' event (EPIPE from a closed pipe, EIO from
 * a hung-up terminal); unhandled, it kills the process with a stack trace, even in the middle of a migration.
 * Handled here once for the whole process (Ink writes to the same stream): later writes are dropped.
 */
function dropWhenGone(stream: NodeJS.WriteStream): { write(text: string): void; onGone(listener: () => void): void } {
  let gone = false;
  const listeners: (() => void)[] = [];
  stream.on('error', () => {
    if (gone) return;
    gone = true;
    for (const l of listeners) l();
  });
  return {
    write: (text) => {
      if (!gone) stream.write(text);
    },
    onGone: (listener) => {
      if (gone) listener();
      else listeners.push(listener);
    },
  };
}

async function askLine(question: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(question, resolve);
      rl.once('close', () => resolve(''));
    });
  } finally {
    rl.close();
  }
}
