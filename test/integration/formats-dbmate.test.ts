import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, query } from '../helpers/db.js';
import { copyFixture, ladderOn, publicTables, states, statusJson, stepLines, type StatusJson } from '../helpers/formats.js';
import { dbmate, dirWith, HAVE_DBMATE, SAMPLE, sqlFiles } from '../fixtures/dbmate/dbmate-cli.js';

/**
 * dbmate projects through Ladder's CLI, taking turns with the real dbmate 2.36.0 binary
 * (test/fixtures/dbmate/dbmate-cli.ts; those tests are skipped where the binary is absent).
 */

const FILES = sqlFiles(SAMPLE);
const VERSIONS = FILES.map((f) => /^\d+/.exec(f)![0]);
const [ACCOUNTS, PROJECTS, INDEX, TOUCH, PLANS] = VERSIONS as [string, string, string, string, string];
const rows = async (url: string) => (await query<{ version: string }>(url, 'select version from schema_migrations order by version')).map((r) => r.version);
const SKIP = HAVE_DBMATE ? '' : ' (skipped: the dbmate 2.36.0 binary is only available for linux-x64)';

/** `dbmate status` as version → applied, plus its counts. */
function dbmateStatus(stdout: string): { applied: Record<string, boolean>; counts: string } {
  const applied: Record<string, boolean> = {};
  for (const m of stdout.matchAll(/^\[( |X)\] (\d+)\S*\.sql$/gm)) applied[m[2]!] = m[1] === 'X';
  return { applied, counts: /Applied: \d+\nPending: \d+\n$/.exec(stdout)?.[0] ?? stdout };
}

/** Ladder's status --json in the same terms, for the files dbmate lists. */
const ladderApplied = (s: StatusJson): Record<string, boolean> => Object.fromEntries(s.migrations.filter((m) => m.state !== 'missing').map((m) => [m.version, m.state === 'applied']));

async function agree(url: string, dir: string, run: ReturnType<typeof ladderOn>): Promise<StatusJson> {
  const s = await statusJson(run);
  if (HAVE_DBMATE) {
    const st = await dbmate(url, dir, ['status']);
    expect(st.stderr).toBe('');
    const d = dbmateStatus(st.stdout);
    expect(ladderApplied(s)).toEqual(d.applied);
    const n = Object.values(d.applied).filter(Boolean).length;
    expect(d.counts).toBe(`Applied: ${n}\nPending: ${VERSIONS.length - n}\n`);
  }
  return s;
}

describe.skipIf(!HAVE_DBMATE)(`dbmate: a database migrated halfway by dbmate is read and continued by Ladder${SKIP}`, () => {
  it('dbmate migrates two files, Ladder the rest; dbmate status then lists all five as applied', async () => {
    const url = await freshDatabase('fdbm_half');
    const dir = copyFixture('dbmate');
    const run = ladderOn(dir, url);
    const first = await dbmate(url, dirWith(SAMPLE, FILES.slice(0, 2)), ['migrate']);
    expect(first.code).toBe(0);

    const s = await agree(url, dir, run);
    expect(s.format).toBe('dbmate');
    expect(s.table).toBe('"public"."schema_migrations"');
    expect(s.version).toBe(PROJECTS);
    expect(s.migrations.map((m) => [m.version, m.name, m.label])).toEqual([
      [ACCOUNTS, 'create_accounts', '[X]'],
      [PROJECTS, 'create_projects', '[X]'],
      [INDEX, 'index_project_names', '[ ]'],
      [TOUCH, 'touch_updated_at', '[ ]'],
      [PLANS, 'seed_plans', '[ ]'],
    ]);

    const up = await run(['up']);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(stepLines(up.stdout)).toEqual([`${INDEX}/u index_project_names`, `${TOUCH}/u touch_updated_at`, `${PLANS}/u seed_plans`]);
    expect(await rows(url)).toEqual(VERSIONS);

    const st = await dbmate(url, dir, ['status']);
    expect(st.code).toBe(0);
    expect(st.stdout).toBe(`${FILES.map((f) => `[X] ${f}`).join('\n')}\n\nApplied: 5\nPending: 0\n`);
    expect((await dbmate(url, dir, ['migrate'])).stdout).toBe(''); // nothing left for dbmate
  });

  it("Ladder applies three, dbmate up finishes, dbmate rollback undoes back through Ladder's last; both agree on every step", async () => {
    const url = await freshDatabase('fdbm_ladder_first');
    const dir = copyFixture('dbmate');
    const run = ladderOn(dir, url);
    expect((await run(['up', '3'])).code).toBe(0);
    expect(await rows(url)).toEqual(VERSIONS.slice(0, 3));
    await agree(url, dir, run);

    const rest = await dbmate(url, dir, ['up']);
    expect(rest.code).toBe(0);
    expect(rest.stdout.match(/^Applying: .*$/gm)).toEqual([`Applying: ${FILES[3]}`, `Applying: ${FILES[4]}`]);
    expect((await agree(url, dir, run)).version).toBe(PLANS);

    for (const [i, file] of [...FILES].reverse().slice(0, 3).entries()) {
      const rb = await dbmate(url, dir, ['rollback']);
      expect(rb.stderr).toBe('');
      expect(rb.stdout).toMatch(new RegExp(`^Rolling back: ${file}\nRolled back: ${file} in `));
      const s = await agree(url, dir, run);
      expect(s.version).toBe(VERSIONS[3 - i]);
    }
    // the third rollback undid Ladder's last migration: the transaction:false index
    expect(await rows(url)).toEqual(VERSIONS.slice(0, 2));
    expect(await query(url, "select to_regclass('projects_name_lower_idx') t")).toEqual([{ t: null }]);
    expect(states(await statusJson(run))).toEqual({ [ACCOUNTS]: 'applied', [PROJECTS]: 'applied', [INDEX]: 'pending', [TOUCH]: 'pending', [PLANS]: 'pending' });
  });
});

describe('dbmate: apply, roll back and re-read', () => {
  it('up, down 1, goto and down -all write and delete exactly the version rows dbmate does', async () => {
    const url = await freshDatabase('fdbm_cycle');
    const dir = copyFixture('dbmate');
    const run = ladderOn(dir, url);
    let r = await run(['up']);
    expect(r.code).toBe(0);
    expect(await rows(url)).toEqual(VERSIONS);
    expect(await query(url, "select column_name, data_type, is_nullable from information_schema.columns where table_name = 'schema_migrations'")).toEqual([
      { column_name: 'version', data_type: 'character varying', is_nullable: 'NO' },
    ]);
    expect((await agree(url, dir, run)).version).toBe(PLANS);

    r = await run(['down', '1']);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout)).toEqual([`${PLANS}/d seed_plans`]);
    expect(await rows(url)).toEqual(VERSIONS.slice(0, 4));
    expect((await agree(url, dir, run)).version).toBe(TOUCH);

    r = await run(['goto', PROJECTS]);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout)).toEqual([`${TOUCH}/d touch_updated_at`, `${INDEX}/d index_project_names`]);
    expect(await rows(url)).toEqual(VERSIONS.slice(0, 2));
    let s = await agree(url, dir, run);
    expect(s.version).toBe(PROJECTS);
    expect(s.migrations.find((m) => m.current)?.version).toBe(PROJECTS);

    r = await run(['goto', TOUCH]);
    expect(r.code).toBe(0);
    expect(await rows(url)).toEqual(VERSIONS.slice(0, 4));

    r = await run(['down', '-all']);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout).map((l) => l.split('/')[0])).toEqual(VERSIONS.slice(0, 4).reverse());
    expect(await rows(url)).toEqual([]);
    s = await agree(url, dir, run);
    expect(s.version).toBeNull();
    expect(await publicTables(url)).toEqual(['ladder_journal', 'schema_migrations']); // dbmate keeps its table, Ladder its journal beside it
    expect(await run(['down', '1'])).toEqual({ code: 0, stdout: 'no change\n', stderr: '' });
  });
});

describe('dbmate: refusals say so before anything runs', () => {
  const NO_DOWN = "dbmate requires each migration to define a down block with '-- migrate:down'";

  it('a pending file without a down section: up refuses (dbmate would fail on it after applying the others)', async () => {
    const url = await freshDatabase('fdbm_nodown_up');
    const dir = copyFixture('dbmate');
    const run = ladderOn(dir, url);
    expect((await run(['up', '2'])).code).toBe(0);
    writeFileSync(join(dir, '20240301000000_no_down.sql'), '-- migrate:up\ncreate table no_down (id int);\n');
    const r = await run(['up']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`error: dbmate cannot apply 20240301000000_no_down.sql: ${NO_DOWN}.\n`);
    expect(r.stderr).toContain('Nothing was run; "up 3" stops before it.');
    expect(await rows(url)).toEqual(VERSIONS.slice(0, 2));
    expect(await publicTables(url)).toEqual(['accounts', 'ladder_journal', 'projects', 'schema_migrations']);
    // up to the file before it still works
    expect((await run(['up', '3'])).code).toBe(0);
    expect(await rows(url)).toEqual(VERSIONS);
    if (HAVE_DBMATE) {
      const d = await dbmate(url, dir, ['migrate']);
      expect(d.code).toBe(2);
      expect(d.stderr).toBe(`Error: ${NO_DOWN}\n`);
      expect(await rows(url)).toEqual(VERSIONS);
    }
  });

  it('an applied file whose down section is gone: down refuses and changes nothing; forget removes the row without running anything', async () => {
    const url = await freshDatabase('fdbm_nodown_down');
    const dir = copyFixture('dbmate');
    const run = ladderOn(dir, url);
    expect((await run(['up'])).code).toBe(0);
    const last = join(dir, FILES[4]!);
    writeFileSync(last, readFileSync(last, 'utf8').split('-- migrate:down')[0]!);

    for (const args of [['down', '1'], ['goto', ACCOUNTS], ['down', '-all']]) {
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`error: dbmate cannot roll back ${FILES[4]}: ${NO_DOWN}.\n`);
      expect(r.stderr).toContain('Nothing was run.');
      expect(await rows(url)).toEqual(VERSIONS);
    }
    if (HAVE_DBMATE) {
      const d = await dbmate(url, dir, ['rollback']);
      expect(d.code).toBe(2);
      expect(d.stderr).toBe(`Error: ${NO_DOWN}\n`);
      expect(await rows(url)).toEqual(VERSIONS);
    }
    const s = await statusJson(run);
    expect(s.migrations.find((m) => m.version === PLANS)!.problems.join('\n')).toContain(NO_DOWN);

    const repair = await run(['repair']);
    expect(repair.code).toBe(1);
    expect(repair.stderr).toContain('dbmate keeps no checksums and no failure flag, so there is nothing to repair.');

    const forget = await run(['forget', PLANS]);
    expect(forget.code).toBe(0);
    expect(await rows(url)).toEqual(VERSIONS.slice(0, 4));
    expect(await query(url, "select to_regclass('plans') is not null kept")).toEqual([{ kept: true }]); // nothing was run
    await agree(url, dir, run);
  });
});
