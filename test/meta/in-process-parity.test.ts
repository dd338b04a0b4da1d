import { expect, it } from 'vitest';
import { freshDatabase } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';

/** ladderLocal stands in for bin/ladder in many tests: the same commands, from two databases in the same state, print and exit alike. */
it('ladderLocal prints and exits as bin/ladder does (stdout, stderr, exit code) across reads, runs, failures, refusals and usage errors', async () => {
  const [u1, u2] = [await freshDatabase('parity'), await freshDatabase('parity')];
  const dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);', '1_a.down.sql': 'drop table a;', '2_b.up.sql': 'create tabel b (id int);' });
  const norm = (r: { code: number | null; stdout: string; stderr: string }, url: string) => {
    const db = new URL(url).pathname.slice(1);
    const f = (s: string) => s.split(db).join('DB').replace(/\([0-9.]+[µnm]?s\)/g, '(T)').replace(/\d{4}-\d\d-\d\d[ T][0-9:.]+Z?/g, 'DATE').replace(/\d+ ms/g, 'N ms').replace(/"(startedAt|finishedAt|at|durationMs|id|pid)": ?[^,}]+/g, '"$1":X');
    return { code: r.code, stdout: f(r.stdout), stderr: f(r.stderr) };
  };
  const seq: string[][] = [['status', '--json'], ['up', '1'], ['version'], ['up'], ['status'], ['recover'], ['recover', '--json'], ['history'], ['force', '1'], ['bogus'], ['down'], ['up', '9'], ['drop'], ['down', '1'], ['-nope']];
  const codes = new Set<number | null>();
  let printed = 0;
  for (const args of seq) {
    // two databases, so each pair runs side by side
    const [s1, l2] = await Promise.all([ladder(['-path', dir, '-database', u1, ...args]), ladderLocal(['-path', dir, '-database', u2, ...args])]);
    const [spawned, local] = [norm(s1, u1), norm(l2, u2)];
    expect(local, args.join(' ')).toEqual(spawned);
    codes.add(spawned.code);
    printed += spawned.stdout.length + spawned.stderr.length;
  }
  // the sequence covers success, failure and usage errors, and prints something to compare
  expect([...codes].sort()).toEqual([0, 1, 2]);
  expect(printed).toBeGreaterThan(1000);
}, 120_000); // 15 processes one after another: slow on a loaded 2-core machine
