import { redact } from '../redact.js';
import type { CliIO } from '../headless/io.js';

/** The process's streams; everything passes through redact() so no password is ever printed. */
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
