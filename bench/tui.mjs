// TUI benchmark (run after `npm run build`; imports the compiled TUI from dist/).
//   node bench/tui.mjs            prints the figures against the budgets (exit 1 when one is over)
//   import { benchTui } from ...  returns them (bench/run.mjs)
// On a folder of 10,000 migrations plus one 20 MB migration, the real mountTui() draws into an
// in-memory 120x40 terminal, in a fresh Node process (cold module loading; an RSS that is the TUI's
// own). No database: the project's state is stubbed. Figures:
//   firstFrameMs                the TUI started (as run-cli starts it, project open) to its first frame:
//                               loading Ink/React and the TUI, the state for 10,000 rows, the first render
//   firstFrameWithFolderReadMs  the same plus reading the 20,002-file folder (openProject's job)
//   keypressToFrameP50/P95/MaxMs  j / k / pgdn / pgup / g at a held key's repeat rate (33 ms apart) to
//                               the frame showing the move (after 5 warm-up presses; coldFirstKeyMs: the first)
//   preview20MbMs               G (selects the 20 MB migration) to the frame with its highlighted first lines
//   preview20MbEndMs            l, G inside that file (reads all of it, lexes 20 MB) to the frame with its last line
//   rssAtStartMb / rssMb        resident set size at the first frame / at the end (20 MB file loaded)
// LADDER_BENCH_PROF=DIR writes the measured process's CPU profile there; LADDER_BENCH_DEBUG=1 prints each key's time.
// Budgets (ARCHITECTURE.md): first frame < 500 ms, keypress to frame < 50 ms, 20 MB preview < 200 ms, RSS < 150 MB.
import { EventEmitter } from 'node:events';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSrc } from './load-src.mjs';

const COUNT = 10_000;
const BIG_VERSION = COUNT + 1;
const COLS = 120;
const ROWS = 40;
const KEYPRESSES = 300;
const KEY_REPEAT_MS = 33;

class FakeStdout extends EventEmitter {
  columns = COLS;
  rows = ROWS;
  isTTY = true;
  waiters = [];
  frames = 0;
  write = (chunk) => {
    const s = typeof chunk === 'string' ? chunk : String(chunk);
    this.frames++;
    for (const w of [...this.waiters]) {
      if (w.test(s)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(performance.now());
      }
    }
    return true;
  };
  /** Resolves with the time of the first write that contains `text`. */
  next(text, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no frame with ${JSON.stringify(text)} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        test: (s) => s.includes(text),
        resolve: (t) => {
          clearTimeout(timer);
          resolve(t);
        },
      });
    });
  }
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  data = null;
  write(data) {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read() {
    const d = this.data;
    this.data = null;
    return d;
  }
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
}

export async function makeFolder() {
  const dir = await mkdtemp(join(tmpdir(), 'ladder-bench-tui-'));
  const pad = (v) => String(v).padStart(6, '0');
  const writes = [];
  for (let v = 1; v <= COUNT; v++) {
    writes.push(writeFile(join(dir, `${pad(v)}_create_table_${v}.up.sql`), `-- migration ${v}\nCREATE TABLE t_${v} (\n  id bigint PRIMARY KEY,\n  name text NOT NULL DEFAULT 'x'\n);\n`));
    writes.push(writeFile(join(dir, `${pad(v)}_create_table_${v}.down.sql`), `DROP TABLE t_${v};\n`));
    if (writes.length >= 512) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  // 20 MB: ~32,000 long INSERT lines (cli-highlight alone needs many seconds for the whole file).
  const row = (i) => `INSERT INTO big_table (id, payload, amount, created_at) VALUES (${i}, '${'lorem ipsum dolor sit amet '.repeat(22)}', ${i}.5, now());\n`;
  const parts = ['-- big migration: 20 MB of data\n'];
  let size = parts[0].length;
  for (let i = 1; size < 20 * 1024 * 1024; i++) {
    const r = row(i);
    parts.push(r);
    size += r.length;
  }
  parts.push('-- the last line of the big migration\n');
  await writeFile(join(dir, `${pad(BIG_VERSION)}_big_data.up.sql`), parts.join(''));
  await writeFile(join(dir, `${pad(BIG_VERSION)}_big_data.down.sql`), 'TRUNCATE big_table;\n');
  return dir;
}

/** Loads the compiled TUI exactly as `ladder` does (src/tui/start.ts: loadTuiModule). */
async function importTui(start) {
  return start.loadTuiModule();
}

function fakeProject(listing, dir, source, engine) {
  const state = { version: '5000', dirty: false };
  let current = listing;
  return {
    format: 'golang-migrate',
    detection: { format: 'golang-migrate', reason: 'bench' },
    tracking: { model: 'version', table: '"public"."schema_migrations"', lockId: '1', toolLocks: true, lockNote: '', forceMeaning: '', forceSql: () => '', countsBelowCurrent: true },
    status: (st) => engine.computeStatus(current, st),
    plan: (st, intent) => engine.plan(current, st, intent),
    ensureTable: async () => undefined,
    get listing() {
      return current;
    },
    target: { display: 'postgres://bench:xxxxx@localhost:5432/bench', urlPath: '/bench', config: {}, options: { migrationsTableQuoted: false, statementTimeoutMs: 0 } },
    session: undefined,
    tracker: {
      table: '"public"."schema_migrations"',
      lockId: '1',
      readState: async () => state,
      setVersionSql: () => '',
    },
    journal: { table: '"public"."ladder_journal"', list: async () => [] },
    schema: 'public',
    database: 'bench',
    readState: async () => state,
    reloadListing: async () => (current = await source.read(dir)),
    close: async () => undefined,
  };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const round = (x) => Math.round(x * 10) / 10;
const debugMem = (label) => {
  if (!process.env.LADDER_BENCH_DEBUG) return;
  globalThis.gc?.();
  const m = process.memoryUsage();
  process.stderr.write(`${label.padEnd(16)} rss ${round(m.rss / 1048576)} heapTotal ${round(m.heapTotal / 1048576)} heapUsed ${round(m.heapUsed / 1048576)} external ${round(m.external / 1048576)}\n`);
};

/**
 * Runs the measurement in a fresh Node process (cold module loading, and an RSS that is the TUI's own,
 * not the engine benchmark's or the folder generator's); returns its figures.
 */
export async function benchTui() {
  const dir = await makeFolder();
  try {
    // Let the 20,002 files just written reach the disk first, so their write-back does not run
    // during the measurement.
    spawnSync('sync');
    await new Promise((r) => setTimeout(r, 500));
    const child = spawnSync(process.execPath, [...(process.env.LADDER_BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.LADDER_BENCH_PROF] : []), '--expose-gc', fileURLToPath(import.meta.url), '--child', dir], {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: '' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('{"firstFrameMs"'));
    if (child.status !== 0 || !line) throw new Error(`the TUI benchmark process failed (status ${child.status}): ${child.stderr || child.stdout}`);
    if (process.env.LADDER_BENCH_DEBUG) process.stderr.write(child.stderr);
    return JSON.parse(line);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function measure(dir) {
  debugMem('start');
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  {
    // What `ladder` has loaded before it starts the TUI: the engine, pg, the format.
    const src = await loadSrc(['engine/project', 'formats/golang-migrate/source', 'formats/golang-migrate/rules', 'engine/status', 'engine/plan', 'engine/plan-version', 'tui/start']);
    const { golangMigrateSource: source } = src['formats/golang-migrate/source'];
    // --- first frame. Reading the folder is openProject's (before the TUI starts; also timed, separately).
    const tRead = performance.now();
    const listing = await source.read(dir);
    const readFolderMs = performance.now() - tRead;
    const t0 = performance.now();
    const firstFrame = stdout.next('Migrations');
    const { mountTui } = await importTui(src['tui/start']);
    const { computeStatus } = src['engine/status'];
    const model = src['engine/plan-version'].versionModel(src['formats/golang-migrate/rules'].golangMigrateRules, 'golang-migrate');
    const plan = (l, st, intent) => src['engine/plan'].plan(model, l, st, intent);
    const project = fakeProject(listing, dir, source, { computeStatus, plan });
    const monitor = { query: async () => ({ rows: [] }), end: async () => undefined };
    const exited = mountTui(project, {
      lockTimeoutMs: 1000,
      env: {},
      stdin,
      stdout,
      stderr: stdout,
      quiet: true,
      controller: { refreshMs: 0, watch: false, openMonitor: async () => monitor },
    });
    const firstFrameMs = (await firstFrame) - t0;
    debugMem('first frame');
    const rssFirstFrameMb = process.memoryUsage().rss / 1024 / 1024;
    // Let the start-up settle: the syntax highlighter loads right after the first frame (~100 ms).
    await stdout.next('\u001b[36mCREATE\u001b[39m');

    // --- keypress to frame, moving through the list (the border shows "position/total").
    const total = COUNT + 1;
    const times = [];
    let pos = 5000; // opens on the current version
    // Keys arrive at a held key's repeat rate (~30 per second), as when holding j.
    let last = 0;
    const press = async (key, expected) => {
      const wait = last + KEY_REPEAT_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const frame = stdout.next(`─ ${expected}/${total} ─`);
      const t = performance.now();
      last = t;
      stdin.write(key);
      times.push((await frame) - t);
      if (process.env.LADDER_BENCH_DEBUG) process.stderr.write(`${JSON.stringify(key)} ${round(times.at(-1))} #${times.length}\n`);
      pos = expected;
    };
    // Warm-up: the first presses after start-up run cold code (JIT); reported apart, not in the percentiles.
    const warm = [];
    for (let i = 0; i < 5; i++) await press(i % 2 ? 'k' : 'j', i % 2 ? pos - 1 : pos + 1);
    warm.push(...times.splice(0));
    const page = ROWS - 1 - 2 - 1 - Math.min(14, Math.max(4, Math.round((ROWS - 1 - 3) * 0.28))) - 2; // listRows at 120x40
    for (let i = 0; i < KEYPRESSES; i++) {
      const r = i % 10;
      if (r < 5) await press('j', Math.min(total, pos + 1));
      else if (r < 8) await press('k', Math.max(1, pos - 1));
      else if (r === 8) await press('\u001b[6~', Math.min(total, pos + page));
      else await press('\u001b[5~', Math.max(1, pos - page));
    }
    await press('g', 1);
    debugMem('after keys');

    // --- the 20 MB preview, cold: G selects it; time until its highlighted first lines are drawn.
    const bigFrame = stdout.next('big migration: 20 MB of data');
    if (process.env.LADDER_BENCH_DEBUG) process.stderr.write('--- G pressed\n');
    const tBig = performance.now();
    stdin.write('G');
    const preview20MbMs = (await bigFrame) - tBig;
    if (process.env.LADDER_BENCH_DEBUG) process.stderr.write('--- big frame\n');
    debugMem('20 MB preview');

    // --- the end of that file: focus the SQL (l), G: lexes all 20 MB to find a statement start, highlights the last page.
    stdin.write('l');
    await stdout.next('esc list'); // the SQL pane has the keys (its footer's way back to the list)
    const endFrame = stdout.next('the last line of the big migration');
    const tEnd = performance.now();
    stdin.write('G');
    const preview20MbEndMs = (await endFrame) - tEnd;

    globalThis.gc?.();
    const mem = process.memoryUsage();
    const rssMb = mem.rss / 1024 / 1024;
    if (process.env.LADDER_BENCH_DEBUG) process.stderr.write(`${JSON.stringify(Object.fromEntries(Object.entries(mem).map(([k, v]) => [k, round(v / 1048576)])))}\n`);

    stdin.write('q');
    await exited;
    return {
      firstFrameMs: round(firstFrameMs),
      firstFrameWithFolderReadMs: round(firstFrameMs + readFolderMs),
      readFolderMs: round(readFolderMs),
      keypressToFrameP50Ms: round(quantile(times, 0.5)),
      keypressToFrameP95Ms: round(quantile(times, 0.95)),
      keypressToFrameMaxMs: round(Math.max(...times)),
      coldFirstKeyMs: round(warm[0]),
      preview20MbMs: round(preview20MbMs),
      preview20MbEndMs: round(preview20MbEndMs),
      rssAtStartMb: round(rssFirstFrameMb),
      rssMb: round(rssMb),
      migrations: COUNT + 1,
      keysMeasured: times.length,
    };
  }
}

const BUDGETS = { firstFrameMs: 500, firstFrameWithFolderReadMs: 500, rssAtStartMb: 150, keypressToFrameP50Ms: 50, keypressToFrameP95Ms: 50, keypressToFrameMaxMs: 50, preview20MbMs: 200, preview20MbEndMs: 200, rssMb: 150 };

const direct = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (direct && process.argv[2] === '--child') {
  if (process.env.NODE_ENV === '') delete process.env.NODE_ENV;
  const r = await measure(process.argv[3]);
  process.stdout.write(`\n${JSON.stringify(r)}\n`);
  process.exit(0);
} else if (direct) {
  const r = await benchTui();
  let over = 0;
  process.stdout.write('TUI benchmark (10,000 migrations + one 20 MB migration, 120x40)\n');
  for (const [k, v] of Object.entries(r)) {
    const limit = BUDGETS[k];
    const verdict = limit === undefined ? '' : v < limit ? `OK (< ${limit})` : `OVER (budget < ${limit})`;
    if (limit !== undefined && !(v < limit)) over++;
    process.stdout.write(`  ${k.padEnd(22)} ${String(v).padStart(8)}  ${verdict}\n`);
  }
  process.exitCode = over > 0 ? 1 : 0;
}
