import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;

/**
 * The real bin/ladder in a real pseudo-terminal: tmux makes its own pty (on its own socket), so this
 * runs on CI machines without a TTY too.
 */
export function tmuxDriver(name: string) {
  const socket = `ladder-e2e-${name}-${process.pid}`;
  const session = 'ladder';
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  return {
    /** Starts `node bin/ladder ARGS` at cols x rows; its exit code is printed as LADDER_EXIT=N. */
    /** raw: a file that receives every byte the program writes to its terminal (tmux pipe-pane, set in the same tmux command). */
    start(args: string, cols: number, rows: number, o: { raw?: string } = {}): void {
      if (!existsSync(`${ROOT}/dist/ladder.mjs`)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
      const cmd = `cd '${ROOT}' && node bin/ladder ${args}; echo "LADDER_EXIT=$?"; sleep 60`;
      const pipe = o.raw ? [';', 'pipe-pane', '-o', '-t', session, `cat >> '${o.raw}'`] : [];
      tmux('new-session', '-d', '-s', session, '-x', String(cols), '-y', String(rows), cmd, ...pipe);
    },
    /** Characters typed as they are (e.g. a mouse report the terminal would send). */
    literal(text: string): void {
      tmux('send-keys', '-t', session, '-l', text);
    },
    screen,
    /** A tmux format of the pane, e.g. '#{alternate_on}'. */
    display: (format: string) => tmux('display', '-p', '-t', session, format).trim(),
    async waitScreen(pred: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
      const test = typeof pred === 'string' ? (s: string) => s.includes(pred) : pred instanceof RegExp ? (s: string) => pred.test(s) : pred;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = screen();
        if (test(s)) return s;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pred)}; screen:\n${s}`);
        await new Promise((r) => setTimeout(r, 30)); // polling the pane, not a fixed wait
      }
    },
    /** One key per send-keys: two keys in one read reach Ink as one input. */
    keys(...k: string[]): void {
      for (const key of k) tmux('send-keys', '-t', session, key);
    },
    /**
     * Waits until the list's keys are back and not held off: after a run ends by itself, keys that change
     * something wait a moment (the footer shows ⏸), so a key meant for the run cannot land on the list.
     */
    async waitIdle(): Promise<string> {
      return this.waitScreen((s) => s.includes('u/d up/down') && !s.includes('⏸'));
    },
    /** Several keys in one send-keys: they reach Ladder in one read, as autorepeat, paste or SSH deliver them. */
    keysAtOnce(...k: string[]): void {
      tmux('send-keys', '-t', session, ...k);
    },
    stop(): void {
      if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
    },
  };
}
