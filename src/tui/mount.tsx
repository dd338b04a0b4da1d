import React from 'react';
import { render } from 'ink';
import { setFlagsFromString } from 'node:v8';
import type { Project } from '../engine/project.js';
import { App } from './app.js';
import { createTui, type TuiOptions } from './tui.js';
import { themeFromEnv } from './theme.js';
import { redact } from '../redact.js';
import { NIL_VERSION } from '../formats/types.js';

export interface MountOptions {
  lockTimeoutMs: number;
  env: NodeJS.ProcessEnv;
  databaseFrom?: string;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** Controller settings (the benchmark turns off the database re-read). */
  controller?: TuiOptions['controller'];
  /** Leave the summary line out (the benchmark). */
  quiet?: boolean;
}

const ALT_SCREEN_ON = '\u001b[?1049h';
const ALT_SCREEN_OFF = '\u001b[?1049l';
const SHOW_CURSOR = '\u001b[?25h';
// Wheel reports (1000: buttons, 1006: SGR coordinates). While on, selecting text takes shift in most terminals; LADDER_MOUSE=0 leaves it off.
const MOUSE_ON = '\u001b[?1000h\u001b[?1006h';
const MOUSE_OFF = '\u001b[?1006l\u001b[?1000l';

/**
 * Runs the TUI on the terminal until the user quits; returns the exit code. The alternate screen is
 * left, the cursor shown and raw mode ended on every path: q, ctrl-c, an error, or the process exiting.
 */
export async function mountTui(project: Project, o: MountOptions): Promise<number> {
  return (await mountTuiSession(project, o)).code;
}

/** One screen session; reopenAs: the user chose which tool an ambiguous folder is for (start.ts reopens the project). */
export async function mountTuiSession(project: Project, o: MountOptions): Promise<{ code: number; reopenAs?: string }> {
  const stdout = o.stdout ?? process.stdout;
  const stdin = o.stdin ?? process.stdin;
  const tui = await createTui(project, {
    lockTimeoutMs: o.lockTimeoutMs,
    cols: stdout.columns || 80,
    rows: stdout.rows || 24,
    color: themeFromEnv(o.env).color,
    databaseFrom: o.databaseFrom,
    controller: o.controller,
  });
  const mouse = o.env.LADDER_MOUSE !== '0';
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    stdout.write((mouse ? MOUSE_OFF : '') + SHOW_CURSOR + ALT_SCREEN_OFF);
  };
  process.once('exit', restore);
  const onResize = () => tui.store.dispatch({ type: 'resize', cols: stdout.columns || 80, rows: stdout.rows || 24 });
  stdout.write(ALT_SCREEN_ON + (mouse ? MOUSE_ON : ''));
  stdout.on('resize', onResize);
  let code = 0;
  try {
    tui.controller.start();
    const instance = render(<App store={tui.store} controller={tui.controller} />, {
      stdout,
      stdin,
      stderr: o.stderr ?? process.stderr,
      exitOnCtrlC: false,
      patchConsole: true,
      // Not incrementalRendering: in Ink 6.8 it moves the cursor one row short whenever the frame ends
      // with a newline (any frame shorter than the terminal), so every update drifts down a line.
      // The standard renderer rewrites the frame in one write, inside a synchronized update (DEC 2026).
      incrementalRendering: false,
      maxFps: 60,
    });
    // Ink builds every frame as a grid of styled characters: ~9 MB of short-lived objects per frame at
    // 120x40. With V8's default young generation, browsing grows the process to 160-240 MB RSS;
    // --optimize-for-size keeps it near 110 MB for ~1 ms more per frame. Set after the first frame
    // (module loading is faster without it); headless commands never get here.
    setFlagsFromString('--optimize-for-size');
    try {
      await instance.waitUntilExit();
    } catch (err) {
      code = 1;
      restore();
      process.stderr.write(redact(`error: the TUI stopped: ${(err as Error)?.message ?? String(err)}\n`));
    }
  } finally {
    stdout.off('resize', onResize);
    await tui.controller.dispose();
    restore();
    process.off('exit', restore);
  }
  const reopenAs = tui.store.getState().reopenAs;
  if (code === 0 && reopenAs) return { code, reopenAs };
  const st = tui.store.getState().db.state;
  if (code === 0 && st && !o.quiet) {
    const pending = tui.store.getState().items.filter((r) => r.state === 'pending').length;
    const v = st.version === NIL_VERSION ? 'no version' : `version ${st.version}`;
    process.stderr.write(`${project.target.display}: ${v}${st.dirty ? ' (dirty)' : ''}, ${pending} pending.\n`);
  }
  return { code };
}
