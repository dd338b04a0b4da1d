import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KEY, fixtureFolder, startHarness, type Harness } from './helpers.js';
import { query } from '../helpers/db.js';

/**
 * The TUI on dbmate, sqlx and Flyway projects (copies of test/fixtures), against the real PostgreSQL:
 * markers, previews, plans and their effect on each tool's own tracking table.
 */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const lines = (f: string) => f.split('\n');
/** The list row of a version (its line in the frame, list panel only). */
const listRow = (f: string, version: string) => lines(f).find((l) => new RegExp(`^│.{3}\\s*${version.replace('.', '\\.')} `).test(l))?.slice(0, 60) ?? '';

async function confirm(hh: Harness, done: RegExp): Promise<string> {
  await hh.waitFor('[y/N]');
  hh.press('y');
  return finished(hh, done);
}

/** Waits for the run's summary and for the screen to take keys again (the run re-reads the database first). */
async function finished(hh: Harness, done: RegExp): Promise<string> {
  await hh.waitFor(done);
  await hh.waitState((s) => s.mode !== 'running' && s.run === null);
  return hh.frame();
}

/** The log as one text (refusals are wrapped to the log's width). */
const logText = (hh: Harness) => hh.tui.store.getState().log.lines.map((l) => l.text).join(' ');

async function waitLog(hh: Harness, text: string): Promise<string> {
  await hh.waitState((s) => s.log.lines.map((l) => l.text).join(' ').includes(text));
  return logText(hh);
}

/** The preview's whole message when there is no SQL to show (the frame wraps it). */
const absent = (hh: Harness) => hh.tui.store.getState().preview.absent ?? '';

function select(hh: Harness, version: string): void {
  hh.tui.store.dispatch({ type: 'select-version', version });
}

describe('TUI: dbmate projects', () => {
  const V1 = '20240110090000';
  const V2 = '20240112143000';
  const V3 = '20240115080000';
  const versions = async (url: string) => (await query<{ version: string }>(url, 'SELECT version FROM schema_migrations ORDER BY version')).map((r) => r.version);

  it('shows the tool, why, and its lock; previews only the selected section; u/d run through plans and change schema_migrations', async () => {
    h = await startHarness({ dir: await fixtureFolder('dbmate/sample'), cols: 100, rows: 32 });
    let f = await h.waitFor("dbmate project: 5 of 5 .sql files carry dbmate's '-- migrate:up' marker.");
    expect(f).toContain('dbmate takes no lock.'); // the lock note, once, in the log
    expect(f).toMatch(/lock free \(dbmate may ignore it: see \?\)/);
    expect(lines(f)[0]).toMatch(/Ladder\s+dbmate /);
    // The up tab: the up section only, numbered as in the file.
    expect(f).toMatch(/\[up\] down 20240110090000_create_accounts\.sql/);
    expect(f).toMatch(/ 4 │ -- migrate:up/);
    expect(f).toContain('create table accounts (');
    expect(f).not.toContain('drop table accounts');
    h.press(KEY.tab);
    f = await h.waitFor('drop table accounts;');
    expect(f).toMatch(/up \[down\] 20240110090000_create_accounts\.sql/);
    expect(f).toMatch(/11 │ -- migrate:down/);
    expect(f).not.toContain('create table accounts');
    h.press(KEY.tab);
    await h.waitFor('create table accounts (');

    // u twice, each through its plan (the plan shows the up section, not the down).
    h.press('u');
    f = await h.waitFor('Run this step on');
    expect(f).toContain(`1. up ${V1} create_accounts`);
    expect(f).toContain('(lines 4-10)');
    expect(f).not.toContain('drop table accounts');
    expect(await versions(h.url).catch(() => [])).toEqual([]);
    h.press('y');
    await finished(h, /✓ up 1: 1 step done/);
    h.press('u');
    await confirm(h, /✓ up 1: 1 step done[\s\S]*✓ up 1: 1 step done/);
    expect(await versions(h.url)).toEqual([V1, V2]);
    f = await h.waitFor(/version 20240112143000 create_projects\s+clean\s+3 pending/);
    expect(listRow(f, V1)).toMatch(/^│✓ /);
    expect(listRow(f, V2)).toMatch(/^│✓ .*◀/);
    expect(listRow(f, V3)).toMatch(/^│· /);

    // d: the down section of the last applied file.
    h.press('d');
    f = await h.waitFor('Run this step on');
    expect(f).toContain(`1. down ${V2} create_projects`);
    expect(f).toContain('drop type project_status;');
    expect(f).not.toContain('create type project_status');
    h.press('y');
    await finished(h, /✓ down 1: 1 step done/);
    expect(await versions(h.url)).toEqual([V1]);
    const types = await query(h.url, "SELECT 1 FROM pg_type WHERE typname = 'project_status'");
    expect(types).toHaveLength(0);
  });

  it('f marks the selected pending row applied, F forgets it, R says dbmate has nothing to repair; H lists schema_migrations', async () => {
    h = await startHarness({ dir: await fixtureFolder('dbmate/sample') });
    await h.waitFor('create_accounts');
    select(h, V3);
    let f = await h.waitFor('index_project_names.sql');
    expect(f).toMatch(/f mark applied/);
    expect(f).not.toMatch(/F forget/);
    expect(f).not.toMatch(/R repair/);
    h.press('f');
    f = await h.waitFor('Run this step on');
    expect(f).toContain(`mark ${V3} applied`);
    expect(f).toContain('Writes "public"."schema_migrations" only; no migration SQL runs.');
    h.press('y');
    f = await finished(h, /✓ force 20240115080000: 1 step done/);
    expect(await versions(h.url)).toEqual([V3]);
    expect(await query(h.url, "SELECT 1 FROM pg_indexes WHERE indexname = 'projects_name_lower_idx'")).toHaveLength(0); // nothing ran
    f = await h.waitFor(/F forget/);
    expect(listRow(f, V3)).toMatch(/^│✓ .*◀/);
    h.press('F');
    f = await h.waitFor('Run this step on');
    expect(f).toContain(`forget ${V3}`);
    h.press('y');
    await finished(h, /✓ forget 20240115080000: 1 step done/);
    expect(await versions(h.url)).toEqual([]);
    h.press('R');
    await waitLog(h, 'repair: dbmate keeps no checksums and no failure flag, so there is nothing to repair.');
    // History: Ladder's journal, beside dbmate's table: every step, the record-only ones too.
    h.press('u');
    await confirm(h, /✓ up 1: 1 step done/);
    h.press('H');
    f = await h.waitFor('History: esc or H closes');
    f = await h.waitFor((x) => !x.includes('Reading the journal'));
    expect(f).toContain('3 steps');
    expect(f).toMatch(/✓ ok\s+up 20240110090000 create_accounts/);
    expect(f).toMatch(/✓ ok\s+mark 20240115080000 applied/);
    expect(f).toMatch(/✓ ok\s+forget 20240115080000/);
    h.press('q');
    await h.waitFor('Migrations');
  });

  it('a file without a down section: the preview says why in dbmate\'s words, and U refuses before running anything', async () => {
    const dir = await fixtureFolder('dbmate/sample');
    await writeFile(join(dir, '20240301000000_no_down.sql'), '-- migrate:up\ncreate table no_down (id int);\n');
    h = await startHarness({ dir });
    await h.waitFor('create_accounts');
    select(h, '20240301000000');
    let f = await h.waitFor('no_down.sql: dbmate requires each');
    expect(absent(h)).toBe(
      "20240301000000_no_down.sql: dbmate requires each migration to define a down block with '-- migrate:down'. Until then dbmate can neither apply nor roll back this file.",
    );
    expect(listRow(f, '20240301000000')).toMatch(/^│·! 20240301000000 no_down/);
    h.press(KEY.tab);
    f = await h.waitFor('up [down]');
    expect(f).toContain('no_down.sql: dbmate requires each');
    expect(absent(h)).toContain('Until then dbmate can neither apply nor roll back this file.');
    h.press('U');
    const log = await waitLog(h, "up: dbmate cannot apply 20240301000000_no_down.sql: dbmate requires each migration to define a down block with '-- migrate:down'.");
    expect(log).toContain('Nothing was run; "up 5" stops before it.');
    expect(h.frame()).toContain('up: dbmate cannot apply 20240301000000_no_down.sql');
    expect(await query(h.url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'schema_migrations'")).toHaveLength(0);
  });
});

describe('TUI: sqlx projects', () => {
  const S1 = '20240101090000';
  const S2 = '20240102090000';
  const S3 = '20240103090000';
  const S4 = '20240104090000';
  const S5 = '20240105090000';
  const rows = async (url: string) =>
    await query<{ version: string; success: boolean; checksum: string }>(url, "SELECT version::text, success, encode(checksum, 'hex') AS checksum FROM _sqlx_migrations ORDER BY version");

  it('markers after U and d; the down tab of a simple migration explains; an edited file shows ≠ with both checksums and R realigns it', async () => {
    const dir = await fixtureFolder('sqlx');
    h = await startHarness({ dir, cols: 100, rows: 34 });
    let f = await h.waitFor('sqlx project: 8 of 8 .sql files');
    h.press('U');
    f = await confirm(h, /✓ up: 5 steps done/);
    expect((await rows(h.url)).map((r) => r.version)).toEqual([S1, S2, S3, S4, S5]);
    // sqlx reverts the newest applied migration that has a .down.sql: 4 (5 is a simple one).
    h.press('d');
    f = await h.waitFor('Run this step on');
    expect(f).toContain(`1. down ${S4} create comments`);
    expect(f).toContain('DROP TABLE comments;');
    h.press('y');
    f = await finished(h, /✓ down 1: 1 step done/);
    expect((await rows(h.url)).map((r) => r.version)).toEqual([S1, S2, S3, S5]);
    f = await h.waitFor((x) => /^│· /.test(listRow(x, S4)));
    for (const v of [S1, S2, S3]) expect(listRow(f, v)).toMatch(/^│✓ /);
    expect(listRow(f, S5)).toMatch(/^│✓ .*◀/);

    // The down tab of a simple migration, in sqlx's terms.
    select(h, S1);
    h.press(KEY.tab);
    f = await h.waitFor('is a simple migration');
    expect(absent(h)).toContain('20240101090000_create_users.sql is a simple migration (no .up.sql/.down.sql pair), so sqlx cannot revert it');
    h.press(KEY.tab);

    // Edit an applied file: ≠, the tool's word, and both checksums when selected.
    const file = join(dir, '20240102090000_create_posts.up.sql');
    await appendFile(file, '-- edited after it was applied\n');
    const local = createHash('sha384').update(await readFile(file)).digest('hex');
    const stored = (await rows(h.url)).find((r) => r.version === S2)!.checksum;
    h.press('r');
    f = await h.waitFor((x) => /^│≠/.test(listRow(x, S2)));
    expect(listRow(f, S2)).toContain('create posts  installe'); // the tool's word, as far as the list has room
    select(h, S2);
    f = await h.waitFor('checksum stored');
    expect(f).toContain(`checksum stored ${stored.slice(0, 24)}`);
    expect(f).toContain(`checksum file   ${local.slice(0, 24)}`);
    expect(f).toMatch(/│≠ installed \(different checksum\)\s+│/);
    expect(f).toMatch(/R repair/);
    expect(f).toMatch(/f accept change/);
    // sqlx refuses to migrate past a modified file, before running anything.
    h.press('u');
    const log = await waitLog(h, `up 1: migration ${S2} was previously applied but has been modified`);
    expect(log).toContain("repair (R) stores the file's new checksum");
    // R: the tool's repair, through its plan.
    h.press('R');
    f = await h.waitFor('Run this step on');
    expect(f).toContain(`repair runs: realign ${S2}`);
    expect(f).toContain(`store the file's checksum for version ${S2}`);
    h.press('y');
    await finished(h, /✓ repair: 1 step done/);
    expect((await rows(h.url)).find((r) => r.version === S2)!.checksum).toBe(local);
    f = await h.waitFor((x) => /^│✓ /.test(listRow(x, S2)));
    expect(f).not.toContain('checksum stored');
  });

  it('a failed row (success = false): the failure panel explains it in sqlx\'s words and repair removes the row', async () => {
    h = await startHarness({ dir: await fixtureFolder('sqlx') });
    await h.waitFor('create users');
    h.press('u');
    await confirm(h, /✓ up 1: 1 step done/);
    h.press('u');
    await confirm(h, /✓ up 1: 1 step done[\s\S]*✓ up 1: 1 step done/);
    // What a failed no-transaction migration would leave (sqlx itself never writes success = false on PostgreSQL; another tool or a hand edit does).
    const checksum = createHash('sha384').update(await readFile(join(h.dir, '20240103090000_index_posts_published_at.up.sql'))).digest();
    await query(h.url, `INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (${S3}, 'index posts published at', false, $1, -1)`, [checksum]);
    h.press('r');
    let f = await h.waitFor(`Failed migration: ${S3}`);
    expect(f).toContain(`${S3} index posts published at failed: "public"."_sqlx_migrations" keeps its row with`);
    expect(f).toContain('success = false (sqlx: "partially applied (success = false)").');
    expect(f).toContain(`sqlx says: migration ${S3} is partially applied; fix and remove row from`);
    expect(f).toMatch(/1\. Repair: delete the failed row of version 20240103090000 \(sqlx's advice: "fix and remove row"/);
    expect(f).toMatch(/2\. Mark 20240103090000 as done: record it applied without running it \(force\)/);
    expect(f).toMatch(/3\. Leave it for now/);
    expect(f).toContain('is pending again afterwards'); // the highlighted way's consequence
    expect(f).toContain('FAILED');
    // Leave it: the list shows ✗, and sqlx refuses to go on.
    h.press('3');
    f = await h.waitFor((x) => /^│✗! /.test(listRow(x, S3)));
    expect(f).toMatch(/f fix failed/);
    h.press('u');
    await waitLog(h, `up 1: migration ${S3} is partially applied; fix and remove row from`);
    expect(listRow(f, S3)).toMatch(/^│✗! /); // the list shows the failed row, selected
    expect(h.tui.store.getState().preview.want).toContain('20240103090000_index_posts_published_at.up.sql');
    // f (whichever row is selected) brings the ways out back; 1 = repair, through its plan.
    select(h, S1);
    h.press('f');
    await h.waitFor(`Failed migration: ${S3}`);
    h.press('1');
    f = await h.waitFor('Run this step on');
    expect(f).toContain(`repair runs: remove failed row ${S3}`);
    h.press('y');
    await finished(h, /✓ repair: 1 step done/);
    expect((await rows(h.url)).map((r) => r.version)).toEqual([S1, S2]);
    f = await h.waitFor((x) => /^│· /.test(listRow(x, S3)));
    expect(f).toMatch(/version 20240102090000 create posts\s+clean/);
  });
  it('a step that fails in its transaction leaves no row: the log says so, and nothing is marked failed', async () => {
    const dir = await fixtureFolder('sqlx');
    await writeFile(join(dir, '20240106090000_broken.sql'), 'CREATE TABLE broken (id int);\nSELECT 1 / 0;\n');
    h = await startHarness({ dir });
    await h.waitFor('sqlx project:');
    h.press('U');
    await h.waitFor('Run these 6 steps');
    h.press('y');
    const log = await waitLog(h, '✗ up 20240106090000 failed; 20240106090000 is still pending ("public"."_sqlx_migrations" has no row for it).');
    await h.waitState((s) => s.mode === 'normal');
    expect(log).toMatch(/20240106090000\/u broken failed after .*: division by zero file: .*20240106090000_broken\.sql/);
    expect(log).toContain('Its transaction rolled back, so nothing of it remains: fix the file, then u runs it again.');
    expect((await rows(h.url)).map((r) => r.version)).toEqual([S1, S2, S3, S4, S5]);
    expect(await query(h.url, "SELECT 1 FROM information_schema.tables WHERE table_name = 'broken'")).toHaveLength(0);
    const f = h.frame();
    expect(f).toMatch(/version 20240105090000 seed roles\s+clean\s+1 pending/);
    expect(f).not.toContain('Failed migration');
  });
});

describe('TUI: Flyway projects', () => {
  const history = async (url: string) =>
    await query<{ version: string | null; type: string; success: boolean }>(url, 'SELECT version, type, success FROM flyway_schema_history ORDER BY installed_rank');

  it('R in the version column, d refused for a version without a U file, undo of 3 through its U file, ↻ for a changed repeatable', async () => {
    const dir = await fixtureFolder('flyway');
    h = await startHarness({ dir, cols: 100, rows: 32 });
    let f = await h.waitFor('Flyway project: 4 of 4 .sql files');
    expect(f).toMatch(/│·\s+R account summary view/);
    h.press('u');
    await confirm(h, /✓ up 1: 1 step done/);
    h.press('u');
    f = await confirm(h, /✓ up 1: 1 step done[\s\S]*✓ up 1: 1 step done/);
    expect(await history(h.url)).toEqual([
      { version: '1', type: 'SQL', success: true },
      { version: '1.1', type: 'SQL', success: true },
    ]);
    f = await h.waitFor(/version 1\.1 add account email\s+clean\s+3 pending/);
    expect(listRow(f, '1')).toMatch(/^│✓ /);
    expect(listRow(f, '1.1')).toMatch(/^│✓ .*◀/);
    expect(listRow(f, '2')).toMatch(/^│· /);
    // d: 1.1 has no U file: Flyway's refusal, nothing runs.
    h.press('d');
    const log = await waitLog(h, 'down 1: Flyway cannot undo version 1.1: there is no U1.1__ file for it.');
    expect(log).toContain('"forget 1.1" to record it as not applied'.replace('"forget 1.1"', 'forget 1.1 (F on its row)'));
    f = h.frame();
    expect(f).toContain('down 1: Flyway cannot undo version 1.1: there is no U1.1__ file for it.');
    expect(f).not.toContain('[y/N]');
    expect(await history(h.url)).toHaveLength(2);
    select(h, '1.1');
    h.press(KEY.tab);
    await h.waitFor('Flyway cannot undo version 1.1');
    expect(absent(h)).toContain('Flyway cannot undo version 1.1: there is no U1.1__ file for it. Undo (a Flyway Teams feature) runs a U1.1__add_account_email.sql file');
    h.press(KEY.tab);
    // U: the rest, the repeatable last.
    h.press('U');
    f = await h.waitFor('Run these 3 steps');
    expect(f).toContain('up runs: up 2, up 3, up R "account summary view"');
    h.press('y');
    f = await finished(h, /✓ up: 3 steps done/);
    expect(f).toContain('R/u account summary view (');
    expect(listRow(f, 'R')).toMatch(/^│✓\s+R account summary view/);
    // d: 3 has a U file: the undo runs it and writes Flyway's DELETE row.
    h.press('d');
    f = await h.waitFor('Run this step on');
    expect(f).toContain('1. down 3 index orders by account  sub/U3__index_orders_by_account.sql (1 line) (no transaction)');
    expect(f).toContain('DROP INDEX CONCURRENTLY orders_account_id_idx;');
    h.press('y');
    f = await finished(h, /✓ down 1: 1 step done/);
    expect((await history(h.url)).filter((r) => r.version === '3').map((r) => r.type)).toEqual(['SQL', 'DELETE']);
    expect(await query(h.url, "SELECT 1 FROM pg_indexes WHERE indexname = 'orders_account_id_idx'")).toHaveLength(0);
    f = await h.waitFor((x) => /^│· /.test(listRow(x, '3')));
    expect(listRow(f, '2')).toMatch(/^│✓ .*◀/);
    // A changed repeatable is Outdated: ↻ and Flyway's word.
    await appendFile(join(dir, 'R__account_summary_view.sql'), '-- changed\n');
    h.press('r');
    f = await h.waitFor((x) => /^│↻/.test(listRow(x, 'R')));
    expect(listRow(f, 'R')).toContain('Outdated');
    expect(f).toMatch(/version 2 create orders\s+clean\s+2 pending/);
    // H: Ladder's journal of every step, newest first.
    h.press('H');
    f = await h.waitFor('History: esc or H closes');
    f = await h.waitFor((x) => !x.includes('Reading the journal'));
    expect(f).toContain('6 steps');
    const table = lines(f).filter((l) => /✓ ok/.test(l));
    expect(table[0]).toMatch(/✓ ok\s+down 3 index orders by account/);
    expect(table.at(-1)).toMatch(/✓ ok\s+up 1 create accounts/);
  });
  it('a failed row: the panel offers repair or mark as done; mark as done replaces the failed row with a successful one, running nothing', async () => {
    h = await startHarness({ dir: await fixtureFolder('flyway') });
    await h.waitFor('Flyway project:');
    h.press('u');
    await confirm(h, /✓ up 1: 1 step done/);
    // A failed row for 1.1, as Flyway writes one when a migration fails where it cannot roll back.
    await query(
      h.url,
      `INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
       VALUES (2, '1.1', 'add account email', 'SQL', 'V1_1__add_account_email.sql', 1, 'someone', 5, false)`,
    );
    h.press('r');
    let f = await h.waitFor('Failed migration: 1.1');
    expect(f).toContain('1.1 add account email failed: "public"."flyway_schema_history" keeps its row with success = false');
    expect(f).toContain('(Flyway: "Failed")');
    expect(f).toMatch(/1\. Repair: delete the failed row of version 1\.1/);
    expect(f).toMatch(/2\. Mark 1\.1 as done: record it applied without running it \(force\)/);
    h.press('2');
    f = await h.waitFor('Run these 2 steps');
    expect(f).toContain('force 1.1 runs: remove failed row 1.1, mark 1.1 applied');
    h.press('y');
    await finished(h, /✓ force 1\.1: 2 steps done/);
    expect(await history(h.url)).toEqual([
      { version: '1', type: 'SQL', success: true },
      { version: '1.1', type: 'SQL', success: true },
    ]);
    // Nothing ran: the column 1.1 adds is not there.
    expect(await query(h.url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'accounts' AND column_name = 'email'")).toHaveLength(0);
    f = await h.waitFor(/version 1\.1 add account email\s+clean/);
    expect(listRow(f, '1.1')).toMatch(/^│✓ .*◀/);
  });
});
