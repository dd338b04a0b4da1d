// npm run faults [-- N]: crash injection. N trials (default 50; FAULTS_TRIALS overrides) against an
// embedded PostgreSQL: SIGKILL of `ladder up`/`down` at a random moment, pg_terminate_backend of the
// backend running a migration, and SIGKILL of golang-migrate itself (../shared/peers/golang-migrate,
// when present). After each, `ladder recover --json` is asked for its verdict on the failed step, which
// is checked against the truth read from the catalog and the data; then the recommended way out is
// followed and `ladder up` finishes the folder. What Ladder said of the database as it failed ("now dirty at
// version V") is checked against the table too. Prints trials, misdiagnosed, double-applied, lost.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadSrc } from './load-src.mjs';

const { startEmbedded } = (await loadSrc(['db/embedded']))['db/embedded'];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'ladder');
const PEER = join(ROOT, '..', 'shared', 'peers', 'golang-migrate');
const TRIALS = Math.max(1, Number(process.argv[2] ?? process.env.FAULTS_TRIALS) || 50);
const ROWS = 300;
const log = (s = '') => process.stdout.write(s + '\n');

// Every migration changes schema and data; its data change records itself in `applied` in the same
// transaction, so the truth of "did this body commit, and how often" is one SUM away.
const MIGRATIONS = {
  '1_accounts.up.sql': `CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL);\nINSERT INTO accounts SELECT g, 100 FROM generate_series(1, ${ROWS}) g;\nINSERT INTO applied VALUES (1, 1);\nSELECT pg_sleep(0.04);\n`,
  '1_accounts.down.sql': 'DROP TABLE accounts;\nINSERT INTO applied VALUES (1, -1);\n',
  '2_double.up.sql': 'ALTER TABLE accounts ADD COLUMN doubled boolean;\nUPDATE accounts SET balance = balance * 2, doubled = true;\nSELECT pg_sleep(0.06);\nINSERT INTO applied VALUES (2, 1);\n',
  '2_double.down.sql': 'UPDATE accounts SET balance = balance / 2;\nALTER TABLE accounts DROP COLUMN doubled;\nINSERT INTO applied VALUES (2, -1);\nSELECT pg_sleep(0.03);\n',
  '3_index.up.sql': 'CREATE INDEX accounts_balance ON accounts (balance);\nUPDATE accounts SET balance = balance + 1;\nINSERT INTO applied VALUES (3, 1);\nSELECT pg_sleep(0.05);\n',
  '3_index.down.sql': 'DROP INDEX accounts_balance;\nUPDATE accounts SET balance = balance - 1;\nINSERT INTO applied VALUES (3, -1);\n',
  '4_tier.up.sql': "CREATE TYPE tier AS ENUM ('basic', 'gold');\nALTER TABLE accounts ADD COLUMN tier tier;\nSELECT pg_sleep(0.05);\nUPDATE accounts SET tier = 'basic', balance = balance + 10;\nINSERT INTO applied VALUES (4, 1);\n",
  '4_tier.down.sql': 'ALTER TABLE accounts DROP COLUMN tier;\nDROP TYPE tier;\nUPDATE accounts SET balance = balance - 10;\nINSERT INTO applied VALUES (4, -1);\nSELECT pg_sleep(0.03);\n',
  '5_rates.up.sql':
    'CREATE TABLE rates (code text PRIMARY KEY, rate numeric);\nINSERT INTO rates VALUES (\'eur\', 1.1);\nCREATE FUNCTION rate_of(c text) RETURNS numeric LANGUAGE sql AS $$ SELECT rate FROM rates WHERE code = c $$;\nSELECT pg_sleep(0.05);\nINSERT INTO applied VALUES (5, 1);\n',
  '5_rates.down.sql': 'DROP FUNCTION rate_of(text);\nDROP TABLE rates;\nINSERT INTO applied VALUES (5, -1);\n',
};
const VERSIONS = [1, 2, 3, 4, 5];
const FINAL_BALANCE = (100 * 2 + 1 + 10) * ROWS;

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ killAfterMs?: number, onStart?: (child: import('node:child_process').ChildProcess) => void }} [o]
 */
function run(cmd, args, { killAfterMs, onStart } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (err += b));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    onStart?.(child);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, out, err });
    });
  });
}

const ladder = (dir, url, ...args) => run(BIN, ['-path', dir, '-database', url, ...args]);

async function main() {
  const root = await mkdtemp(join(tmpdir(), 'ladder-faults-'));
  await chmod(root, 0o755); // the postgres OS user must reach the data dir below it
  const dir = join(root, 'migrations');
  await mkdir(dir);
  for (const [f, sql] of Object.entries(MIGRATIONS)) await writeFile(join(dir, f), sql);
  const server = await startEmbedded({ dataDir: join(root, 'data'), persistent: false });
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  admin.on('error', () => undefined);
  await admin.connect();
  const peer = existsSync(PEER);
  const totals = { trials: 0, misdiagnosed: 0, doubleApplied: 0, lost: 0, dirty: 0, unknown: 0, byKind: {} };
  const problems = [];
  try {
    for (let t = 1; t <= TRIALS; t++) {
      const kinds = ['ladder-up', 'ladder-up', 'ladder-down', 'terminate', 'terminate', ...(peer ? ['golang-migrate-up', 'golang-migrate-down'] : [])];
      const kind = kinds[Math.floor(Math.random() * kinds.length)];
      const name = `faults_${t}`;
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      await admin.query(`CREATE DATABASE ${name}`);
      const url = server.url(name) + (server.url(name).includes('?') ? '&' : '?') + 'sslmode=disable';
      const db = new pg.Client({ connectionString: server.url(name) });
      db.on('error', () => undefined);
      await db.connect();
      try {
        await db.query('CREATE TABLE applied (version int, delta int)');
        const trial = await oneTrial(kind, dir, url, db);
        totals.trials++;
        totals.byKind[kind] = (totals.byKind[kind] ?? 0) + 1;
        if (trial.dirty) totals.dirty++;
        if (trial.verdict === 'unknown') totals.unknown++;
        if (trial.misdiagnosed) totals.misdiagnosed++;
        if (trial.doubleApplied) totals.doubleApplied++;
        if (trial.lost) totals.lost++;
        if (trial.misdiagnosed || trial.doubleApplied || trial.lost || trial.note) problems.push(`trial ${t} (${kind}): ${trial.note ?? ''} verdict=${trial.verdict} truth=${trial.truth}`);
        log(`trial ${String(t).padStart(2)} ${kind.padEnd(20)} ${trial.dirty ? `dirty ${trial.state}, verdict ${trial.verdict} (truth ${trial.truth}), way out ${trial.way}` : 'clean after the kill'}${trial.misdiagnosed ? '  MISDIAGNOSED' : ''}${trial.doubleApplied ? '  DOUBLE-APPLIED' : ''}${trial.lost ? '  LOST' : ''}`);
      } finally {
        await db.end().catch(() => undefined);
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      }
    }
  } finally {
    await admin.end().catch(() => undefined);
    await server.stop();
    await rm(root, { recursive: true, force: true });
  }
  log('');
  if (!peer) log(`(golang-migrate's own kills skipped: ${PEER} not found)`);
  log(`by kind: ${Object.entries(totals.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}; left dirty ${totals.dirty}, verdict unknown ${totals.unknown}`);
  for (const p of problems) log(`  ${p}`);
  log(`trials ${totals.trials}, misdiagnosed ${totals.misdiagnosed}, double-applied ${totals.doubleApplied}, lost ${totals.lost}`);
  process.exitCode = totals.misdiagnosed || totals.doubleApplied || totals.lost ? 1 : 0;
}

async function oneTrial(kind, dir, url, db) {
  const down = kind.endsWith('down');
  const startAt = down ? 5 : Math.floor(Math.random() * 4); // ups start at 0-3 applied
  if (startAt > 0) {
    const r = await ladder(dir, url, 'up', String(startAt));
    if (r.code !== 0) throw new Error(`setup failed: ${r.err}`);
  }
  const args = down ? ['down', String(1 + Math.floor(Math.random() * 4))] : ['up'];
  // Kill at a random moment after a migration body is seen running on the server (a blind delay
  // mostly lands in start-up or after the end).
  const BODY = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%INSERT INTO applied%'";
  const cmd = kind.startsWith('golang-migrate') ? PEER : BIN;
  const result0 = {};
  const child = run(cmd, ['-path', dir, '-database', url, ...args], { onStart: (c) => (result0.child = c) });
  const seen = await pollFor(db, BODY, 30000);
  await sleep(Math.random() * 70);
  if (kind === 'terminate') {
    const pids = (await db.query(BODY)).rows.map((r) => r.pid);
    for (const pid of pids) await db.query('SELECT pg_terminate_backend($1)', [pid]);
  } else result0.child?.kill('SIGKILL');
  // What Ladder said of the database as it failed, checked against the table below.
  const said = /The database is now dirty at version (-?\d+)/.exec((await child).err)?.[1];
  // Not seen: the run ended between two polls, so the kill landed after it; the trial still checks the outcome.
  void seen;

  // The truth is read once the server has finished what the killed client sent (it notices the dead client
  // only when it next writes to it); Ladder's recover waits for that too, through the migration lock.
  await waitAlone(db);
  const state = await trackingState(db);
  const result = { dirty: state.dirty, state: `${state.version}${state.dirty ? ' dirty' : ''}`, verdict: '-', truth: '-', way: '-' };
  if (said !== undefined && (Number(said) !== state.version || !state.dirty)) {
    result.misdiagnosed = true;
    result.note = `ladder said "dirty at version ${said}", the table holds ${result.state}`;
  }
  if (state.dirty) {
    // The step that was running: up of the dirty version, or down of the version after it.
    const step = await runningStep(db, state, kind, down);
    const truth = await truthOf(db, step);
    const r = await ladder(dir, url, 'recover', '--json');
    const c = JSON.parse(r.out);
    const k = c.candidates.find((x) => x.direction === step.direction && Number(x.version) === step.version) ?? c.candidates[0];
    result.verdict = k?.committed ?? 'none';
    result.truth = truth;
    result.misdiagnosed = result.misdiagnosed || (result.verdict !== 'unknown' && result.verdict !== truth);
    let way = k?.recommended;
    const extra = [];
    if (!way || way === 'leave') {
      // Ladder could not tell: do what a person checking by hand would, confirming the re-run where it asks.
      way = truth === 'all' ? 'mark-done' : truth === 'none' ? 'retry' : 'undo';
      const chosen = k.options.find((o) => o.id === way);
      if (chosen?.confirm) extra.push('--confirm-rerun', String(step.version));
    }
    result.way = way;
    const multi = c.candidates.length > 1 ? ['--step', step.direction] : [];
    const applied = await ladder(dir, url, 'recover', '--apply', way, '--yes', ...multi, ...extra);
    if (applied.code !== 0) result.note = `recover --apply ${way} failed: ${applied.err.trim().split('\n')[0]}`;
  }
  const fin = await ladder(dir, url, 'up');
  if (fin.code !== 0) result.note = `${result.note ?? ''} final up failed: ${fin.err.trim().split('\n')[0]}`;
  const sums = await appliedSums(db);
  result.doubleApplied = VERSIONS.some((v) => (sums[v] ?? 0) > 1);
  result.lost = VERSIONS.some((v) => (sums[v] ?? 0) < 1);
  const bal = await db.query('SELECT sum(balance)::bigint s FROM accounts').catch(() => ({ rows: [{ s: null }] }));
  if (!result.doubleApplied && !result.lost && Number(bal.rows[0].s) !== FINAL_BALANCE) {
    result.doubleApplied = Number(bal.rows[0].s) > FINAL_BALANCE;
    result.lost = !result.doubleApplied;
    result.note = `balance ${bal.rows[0].s}, expected ${FINAL_BALANCE}`;
  }
  return result;
}

async function trackingState(db) {
  const r = await db.query('SELECT version::int v, dirty FROM schema_migrations LIMIT 1').catch(() => ({ rows: [] }));
  return r.rows[0] ? { version: r.rows[0].v, dirty: r.rows[0].dirty } : { version: -1, dirty: false };
}

async function runningStep(db, state, kind, down) {
  if (!down) return { direction: 'up', version: state.version };
  const next = VERSIONS.find((v) => v > state.version);
  return { direction: 'down', version: next };
}

/** Whether the failed step's body is in the database: its row in `applied` (same transaction as its changes). */
async function truthOf(db, step) {
  const sums = await appliedSums(db);
  const n = sums[step.version] ?? 0;
  if (step.direction === 'up') return n === 1 ? 'all' : n === 0 ? 'none' : `applied ${n}x`;
  return n === 0 ? 'all' : n === 1 ? 'none' : `applied ${n}x`;
}

async function appliedSums(db) {
  const r = await db.query('SELECT version, sum(delta)::int s FROM applied GROUP BY version');
  return Object.fromEntries(r.rows.map((x) => [x.version, x.s]));
}

async function pollFor(db, sql, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if ((await db.query(sql)).rows.length > 0) return true;
    await sleep(5);
  }
  return false;
}

async function waitAlone(db) {
  for (let i = 0; i < 400; i++) {
    const r = await db.query('SELECT count(*)::int n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
    if (r.rows[0].n === 0) return;
    await sleep(25);
  }
  throw new Error('a session of the killed run is still connected after 10 s');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

await main();
