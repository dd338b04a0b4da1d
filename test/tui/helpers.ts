import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import React from 'react';
import { render } from 'ink-testing-library';
import { openProject, type Project } from '../../src/engine/project.js';
import { parseDatabaseUrl } from '../../src/db/url.js';
import { createTui, type Tui, type TuiOptions } from '../../src/tui/tui.js';
import { App } from '../../src/tui/app.js';
import { freshDatabase, query } from '../helpers/db.js';

export const SAMPLES = fileURLToPath(new URL('../../migrations', import.meta.url));

/** A temp folder holding the first `count` sample migrations (both halves), or the given files. */
export async function sampleFolder(count = 12): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ladder-tui-'));
  const files = (await readdir(SAMPLES)).filter((f) => /^\d+_/.test(f)).sort();
  for (const f of files) if (Number(f.slice(0, 6)) <= count) await cp(join(SAMPLES, f), join(dir, f));
  return dir;
}

export const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

/** A temp copy of a fixture project (test/fixtures/<name>), safe to edit. */
export async function fixtureFolder(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ladder-tui-fx-'));
  await cp(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

export interface Harness {
  url: string;
  dir: string;
  project: Project;
  tui: Tui;
  frame(): string;
  /** Writes one key (one stdin.write per key, as a terminal sends them). */
  press(key: string): void;
  /** Polls (setImmediate, no fixed sleeps) until the frame satisfies the predicate; fails with the last frame after timeoutMs. */
  waitFor(pred: string | RegExp | ((frame: string) => boolean), timeoutMs?: number): Promise<string>;
  /** Waits until the store's state satisfies pred. */
  waitState(pred: (s: ReturnType<Tui['store']['getState']>) => boolean, timeoutMs?: number): Promise<void>;
  version(): Promise<{ version: string; dirty: boolean } | null>;
  close(): Promise<void>;
}

export const KEY = {
  enter: '\r',
  esc: '\u001b',
  up: '\u001b[A',
  down: '\u001b[B',
  right: '\u001b[C',
  left: '\u001b[D',
  pageDown: '\u001b[6~',
  pageUp: '\u001b[5~',
  tab: '\t',
  backspace: '\u007f',
  ctrlC: '\u0003',
};

export async function startHarness(o: { dir?: string; url?: string; cols?: number; rows?: number; color?: boolean; tui?: Partial<TuiOptions> } = {}): Promise<Harness> {
  const url = o.url ?? (await freshDatabase('tui'));
  const dir = o.dir ?? (await sampleFolder());
  const project = await openProject(dir, parseDatabaseUrl(url));
  const tui = await createTui(project, {
    lockTimeoutMs: 5000,
    cols: o.cols ?? 100,
    rows: o.rows ?? 30,
    color: o.color ?? false,
    ...o.tui,
    controller: { refreshMs: 0, watch: false, flushMs: 20, guardMs: 0, ...o.tui?.controller },
  });
  tui.controller.start();
  const r = render(React.createElement(App, { store: tui.store, controller: tui.controller }));
  const frame = () => r.lastFrame() ?? '';
  const waitFor: Harness['waitFor'] = async (pred, timeoutMs = 10_000) => {
    const test = typeof pred === 'string' ? (f: string) => f.includes(pred) : pred instanceof RegExp ? (f: string) => pred.test(f) : pred;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const f = frame();
      if (test(f)) return f;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pred)}; last frame:\n${f}`);
      await new Promise((res) => setImmediate(res));
    }
  };
  const waitState: Harness['waitState'] = async (pred, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!pred(tui.store.getState())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for state; last frame:\n${frame()}`);
      await new Promise((res) => setImmediate(res));
    }
  };
  return {
    url,
    dir,
    project,
    tui,
    frame,
    press: (key) => r.stdin.write(key),
    waitFor,
    waitState,
    async version() {
      const rows = await query<{ version: string; dirty: boolean }>(url, 'SELECT version::text AS version, dirty FROM schema_migrations').catch(() => []);
      return rows[0] ?? null;
    },
    async close() {
      r.unmount();
      await tui.controller.dispose();
      await project.close();
    },
  };
}
