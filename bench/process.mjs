// Timing whole processes, as a user feels them: from spawn to exit (or to a frame on a pseudo-terminal).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export const onPath = (cmd) => (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, cmd)));

/** The environment a child gets: no DATABASE_URL or LADDER_* from the caller's shell. */
/** @param {Record<string, string>} [extra] */
export function cleanEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.DATABASE_URL;
  delete env.LADDER_PATH;
  return env;
}

/** Runs a command to completion; ms from spawn to exit, its output. */
/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, input?: string }} [o]
 */
export async function run(cmd, args, { cwd, env = cleanEnv(), input } = {}) {
  const started = process.hrtime.bigint();
  const child = spawn(cmd, args, { cwd, env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (input !== undefined) child.stdin.end(input);
  const out = [];
  const err = [];
  child.stdout.on('data', (b) => out.push(b));
  child.stderr.on('data', (b) => err.push(b));
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { code, ms, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

export function mustSucceed(what, r) {
  if (r.code !== 0) throw new Error(`${what} exited with ${r.code}\n--- stderr ---\n${r.stderr.slice(-3000)}\n--- stdout (tail) ---\n${r.stdout.slice(-1500)}`);
  return r;
}

/**
 * Times commands in turn (a b c a b c ...), so a machine that speeds up or slows down affects each the
 * same; `check` sees every result (to prove the command did its job). Returns each one's times.
 */
export async function interleave(commands, runs, { warmup = 1 } = {}) {
  const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < warmup + runs; i++) {
    for (const [name, c] of Object.entries(commands)) {
      await c.before?.();
      const r = mustSucceed(name, await run(c.cmd, c.args, c.opts));
      c.check?.(r);
      await c.after?.();
      if (i >= warmup) times[name].push(r.ms);
    }
  }
  return times;
}

const ANSI = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[()][0-9A-B]|[=>78])/g;

/**
 * Starts `command` (a shell command line) on a real pseudo-terminal (util-linux script) of cols x rows and
 * resolves with the ms from spawn until the screen output, escapes removed, satisfies `drawn`; then
 * types `quit` and waits for the exit.
 */
export async function timeFirstFrame(command, { cols, rows, drawn, quit = 'q', env = cleanEnv(), cwd, timeoutMs = 30_000 }) {
  const started = process.hrtime.bigint();
  const child = spawn('script', ['-qfec', `stty cols ${cols} rows ${rows}; exec ${command}`, '/dev/null'], { env: { ...env, TERM: 'xterm-256color' }, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  let raw = '';
  /** @type {number | undefined} */
  let ms;
  const exited = new Promise((resolve) => child.on('close', (c) => resolve(c)));
  /** @type {Promise<number>} */
  const frame = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no full frame within ${timeoutMs} ms; the screen showed:\n${text.slice(-2000)}`)), timeoutMs);
    child.stdout.on('data', (b) => {
      if (ms !== undefined) return;
      raw += b.toString('utf8');
      text = raw.replace(ANSI, '');
      if (drawn(text)) {
        ms = Number(process.hrtime.bigint() - started) / 1e6;
        clearTimeout(timer);
        resolve(ms);
      }
    });
    child.on('close', (c) => {
      clearTimeout(timer);
      if (ms === undefined) reject(new Error(`the TUI exited (${c}) before a full frame; it showed:\n${text.slice(-2000)}`));
    });
  });
  let at;
  try {
    at = await frame;
  } finally {
    child.stdin.write(quit);
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(killer);
  }
  return at;
}
