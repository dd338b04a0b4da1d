import { redact } from '../redact.js';

/** Where a command writes; everything passes through redact() so no password is ever printed. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether a person is at the keyboard (stdin and stdout are terminals). */
  interactive: boolean;
  /** Asks a question on stderr and reads one line of stdin. */
  ask(question: string): Promise<string>;
}

export function processIO(): CliIO {
  return {
    out: (t) => process.stdout.write(redact(t)),
    err: (t) => process.stderr.write(redact(t)),
    interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    ask: (question) => askLine(question),
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
