// The least a Node program does to answer `status` over a golang-migrate folder: list the folder, ask
// PostgreSQL for the tracking row over the same pg driver (bundled, as Ladder's is), print one line per
// migration. No detection, no checks, no error handling. bench/run.mjs bundles and times it beside
// `ladder status`, as the floor any Node CLI stands on for this work.
//   node status-floor.mjs DIR DATABASE_URL
import { readdirSync } from 'node:fs';
import pg from 'pg';

const [dir, url] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url });
const connected = client.connect();
/** @type {[number, string][]} */
const versions = [];
for (const name of readdirSync(dir)) {
  const m = /^(\d+)_(.*)\.up\.sql$/.exec(name);
  if (m) versions.push([Number(m[1]), m[2]]);
}
versions.sort((a, b) => a[0] - b[0]);
await connected;
const { rows } = await client.query('SELECT version, dirty FROM schema_migrations LIMIT 1');
const current = rows.length ? Number(rows[0].version) : -1;
let out = `${versions.length} migrations, version ${current}\n`;
for (const [v, name] of versions) out += `${v <= current ? '✓' : '·'} ${String(v).padStart(8)}  ${v <= current ? 'applied' : 'pending'}  ${name}\n`;
process.stdout.write(out);
await client.end();
