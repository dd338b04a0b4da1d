// Applies 1,000 one-CREATE TABLE migrations with `ladder up` (journal on) for two builds, alternating, on fresh databases.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadSrc } from './load-src.mjs';
const { startEmbedded } = (await loadSrc(['db/embedded']))['db/embedded'];
const [, , ...bins] = process.argv;
const dir = mkdtempSync(join(tmpdir(), 'apply-'));
const COUNT = Number(process.env.COUNT) || 1000;
for (let i = 1; i <= COUNT; i++) {
  const v = String(i).padStart(6, '0');
  writeFileSync(join(dir, `${v}_t${i}.up.sql`), `CREATE TABLE t_${v} (id int);\n`);
  writeFileSync(join(dir, `${v}_t${i}.down.sql`), `DROP TABLE t_${v};\n`);
}
const data = mkdtempSync(join(tmpdir(), 'apply-pg-'));
const srv = await startEmbedded({ dataDir: data, persistent: false });
const times = Object.fromEntries(bins.map((b) => [b, []]));
let n = 0;
for (let rep = 0; rep < (Number(process.env.REPS) || 5); rep++) for (const bin of bins) {
  const name = `b${n++}`;
  const c = new pg.Client({ connectionString: srv.url() }); await c.connect(); await c.query(`CREATE DATABASE ${name}`); await c.end();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, '-path', dir, '-database', srv.url(name), 'up'], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(r.stderr);
  times[bin].push(ms);
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const b of bins) console.log(b, 'median', med(times[b]).toFixed(0), 'ms', times[b].map((x) => x.toFixed(0)).join(' '));
await srv.stop();
