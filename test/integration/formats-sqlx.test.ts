import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closedGate, freshDatabase, query } from '../helpers/db.js';
import { startLadder } from '../helpers/cli.js';
import { advisoryHolders, copyFixture, ladderOn, publicTables, states, statusJson, stepLines, tableDefinition } from '../helpers/formats.js';
import { SQLX_CREATE_TABLE, sqlxExpectedRows, sqlxLibraryLockId, sqlxMigrateRevert, sqlxMigrateRun, sqlxStoredRows, type SqlxStoredRow } from '../helpers/sqlx-protocol.js';

/**
 * sqlx projects through Ladder's CLI, against sqlx-cli 0.8.6's protocol (test/helpers/sqlx-protocol.ts,
 * transcribed from docs/formats-spec.md §2): every row Ladder writes must be the row sqlx writes.
 */

const V = {
  users: '20240101090000',
  posts: '20240102090000',
  index: '20240103090000',
  comments: '20240104090000',
  roles: '20240105090000',
};
const ALL = Object.values(V);
const sha384 = (bytes: Buffer) => createHash('sha384').update(bytes).digest('hex');

/** The columns sqlx sets, and the ones it leaves to the clock checked for type and presence. */
function core(rows: SqlxStoredRow[]) {
  for (const r of rows) {
    expect(r.installed_on).toBeInstanceOf(Date);
    expect(BigInt(r.execution_time)).toBeGreaterThan(0n); // ns, set by the UPDATE after the commit
  }
  return rows.map(({ version, description, success, checksum }) => ({ version, description, success, checksum }));
}

describe('sqlx: a database migrated halfway by sqlx is read and continued by Ladder', () => {
  it('sqlx runs two, Ladder the other three: every row is the one sqlx writes, and sqlx accepts them', async () => {
    const url = await freshDatabase('fsqlx_half');
    const dir = copyFixture('sqlx');
    const run = ladderOn(dir, url);
    expect(await sqlxMigrateRun(url, dir, { targetVersion: V.posts })).toEqual([`Applied ${V.users}/migrate create users`, `Applied ${V.posts}/migrate create posts`]);
    const before = await sqlxStoredRows(url);

    const s = await statusJson(run);
    expect(s.format).toBe('sqlx');
    expect(s.table).toBe('"public"."_sqlx_migrations"');
    expect(s.version).toBe(V.posts);
    expect(s.dirty).toBe(false);
    expect(states(s)).toEqual({ [V.users]: 'applied', [V.posts]: 'applied', [V.index]: 'pending', [V.comments]: 'pending', [V.roles]: 'pending' });
    expect(s.migrations.map((m) => [m.version, m.name, m.up, m.down, m.label])).toEqual([
      [V.users, 'create users', true, false, 'installed'],
      [V.posts, 'create posts', true, true, 'installed'],
      [V.index, 'index posts published at', true, true, 'pending'],
      [V.comments, 'create comments', true, true, 'pending'],
      [V.roles, 'seed roles', true, false, 'pending'],
    ]);

    const up = await run(['up']);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(stepLines(up.stdout)).toEqual([`${V.index}/u index posts published at`, `${V.comments}/u create comments`, `${V.roles}/u seed roles`]);

    const rows = await sqlxStoredRows(url);
    expect(core(rows)).toEqual(sqlxExpectedRows(dir));
    expect(rows.slice(0, 2)).toEqual(before); // sqlx's own rows untouched
    // the CRLF file is hashed with its CRs, as sqlx reads it
    expect(rows[4]!.checksum).toBe(sha384(readFileSync(join(dir, `${V.roles}_seed_roles.sql`))));
    expect(readFileSync(join(dir, `${V.roles}_seed_roles.sql`)).includes('\r\n')).toBe(true);
    expect(await query(url, "select to_regclass('posts_published_at_idx') is not null idx, (select count(*)::int from roles) roles")).toEqual([{ idx: true, roles: 3 }]);

    // sqlx migrate run now finds nothing to do: no dirty row, no missing file, every checksum equal
    expect(await sqlxMigrateRun(url, dir)).toEqual([]);
    expect(await run(['up'])).toEqual({ code: 0, stdout: 'no change\n', stderr: '' });
  });

  it('Ladder creates the table and applies three, sqlx continues from Ladder\'s rows and reverts one of them', async () => {
    const url = await freshDatabase('fsqlx_ladder_first');
    const reference = await freshDatabase('fsqlx_reference');
    const dir = copyFixture('sqlx');
    const run = ladderOn(dir, url);
    const up = await run(['up', '3']);
    expect(up.code).toBe(0);
    expect(stepLines(up.stdout)).toEqual([`${V.users}/u create users`, `${V.posts}/u create posts`, `${V.index}/u index posts published at`]);
    expect(await publicTables(url)).toEqual(['_sqlx_migrations', 'ladder_journal', 'posts', 'users']); // Ladder's journal beside sqlx's table, nothing else

    // the table is sqlx's, column for column
    await query(reference, SQLX_CREATE_TABLE);
    expect(await tableDefinition(url, 'public', '_sqlx_migrations')).toEqual(await tableDefinition(reference, 'public', '_sqlx_migrations'));
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir, ALL.slice(0, 3)));

    expect(await sqlxMigrateRun(url, dir)).toEqual([`Applied ${V.comments}/migrate create comments`, `Applied ${V.roles}/migrate seed roles`]);
    expect(await sqlxMigrateRevert(url, dir)).toBe(`Applied ${V.comments}/revert create comments`);
    expect(await sqlxMigrateRevert(url, dir)).toBe(`Applied ${V.index}/revert index posts published at`); // Ladder applied it

    const s = await statusJson(run);
    expect(states(s)).toEqual({ [V.users]: 'applied', [V.posts]: 'applied', [V.index]: 'pending', [V.comments]: 'pending', [V.roles]: 'applied' });
    expect(s.version).toBe(V.roles); // sqlx's "latest applied"
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir, [V.users, V.posts, V.roles]));
  });
});

describe('sqlx: apply, revert and re-read', () => {
  it('revert deletes the row and passes over simple migrations, as sqlx migrate revert does', async () => {
    const url = await freshDatabase('fsqlx_revert');
    const dir = copyFixture('sqlx');
    const run = ladderOn(dir, url);
    expect((await run(['up'])).code).toBe(0);
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir));

    // the highest applied version with a .down.sql: comments, not the simple roles above it
    let r = await run(['down', '1']);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout)).toEqual([`${V.comments}/d create comments`]);
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir, [V.users, V.posts, V.index, V.roles]));
    let s = await statusJson(run);
    expect(states(s)).toEqual({ [V.users]: 'applied', [V.posts]: 'applied', [V.index]: 'applied', [V.comments]: 'pending', [V.roles]: 'applied' });
    expect(s.version).toBe(V.roles);
    expect(await query(url, "select to_regclass('comments') t")).toEqual([{ t: null }]);

    // the -- no-transaction down (DROP INDEX CONCURRENTLY) runs outside a transaction
    r = await run(['down', '1']);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout)).toEqual([`${V.index}/d index posts published at`]);
    expect(await query(url, "select to_regclass('posts_published_at_idx') t")).toEqual([{ t: null }]);

    // goto cannot go below the simple migration 20240105090000: it says so before running anything
    const frozen = await sqlxStoredRows(url);
    r = await run(['goto', V.users]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`sqlx cannot revert version ${V.roles} (seed roles): it is a simple migration with no .down.sql, so the database cannot go back to ${V.users}.`);
    expect(r.stderr).toContain('Nothing was run.');
    expect(await sqlxStoredRows(url)).toEqual(frozen);

    // down -all: every reversible one; the simple migrations stay applied
    r = await run(['down', '-all']);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout)).toEqual([`${V.posts}/d create posts`]);
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir, [V.users, V.roles]));
    expect(await run(['down', '1'])).toEqual({ code: 0, stdout: 'no change\n', stderr: '' }); // sqlx: "No migrations available to revert"
    expect(await sqlxMigrateRevert(url, dir)).toBe('No migrations available to revert');

    // and up again: out of order below the latest applied, silently, as sqlx does
    r = await run(['up']);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout)).toEqual([`${V.posts}/u create posts`, `${V.index}/u index posts published at`, `${V.comments}/u create comments`]);
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir));
    s = await statusJson(run);
    expect(Object.values(states(s))).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
  });

  it('goto up and back down between reversible migrations', async () => {
    const url = await freshDatabase('fsqlx_goto');
    const dir = copyFixture('sqlx');
    const run = ladderOn(dir, url);
    let r = await run(['goto', V.comments]);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout).map((l) => l.split(' ')[0])).toEqual([`${V.users}/u`, `${V.posts}/u`, `${V.index}/u`, `${V.comments}/u`]);
    r = await run(['goto', V.posts]);
    expect(r.code).toBe(0);
    expect(stepLines(r.stdout)).toEqual([`${V.comments}/d create comments`, `${V.index}/d index posts published at`]);
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir, [V.users, V.posts]));
    expect((await statusJson(run)).version).toBe(V.posts);
  });
});

describe('sqlx: refusals say so before anything runs', () => {
  it('a changed applied file: up refuses with sqlx\'s words, status shows both checksums, repair stores the new one', async () => {
    const url = await freshDatabase('fsqlx_modified');
    const dir = copyFixture('sqlx');
    const run = ladderOn(dir, url);
    await sqlxMigrateRun(url, dir, { targetVersion: V.posts });
    const file = join(dir, `${V.users}_create_users.sql`);
    const old = sha384(readFileSync(file));
    appendFileSync(file, '-- reviewed\n');
    const now = sha384(readFileSync(file));
    const before = await sqlxStoredRows(url);

    const up = await run(['up']);
    expect(up.code).toBe(1);
    expect(up.stdout).toBe('');
    expect(up.stderr).toContain(`error: migration ${V.users} was previously applied but has been modified\n`);
    expect(up.stderr).toContain('Nothing was run.');
    expect(await sqlxStoredRows(url)).toEqual(before);
    expect(await publicTables(url)).toEqual(['_sqlx_migrations', 'posts', 'users']);
    await expect(sqlxMigrateRun(url, dir)).rejects.toThrow(`migration ${V.users} was previously applied but has been modified`); // sqlx agrees

    const s = await statusJson(run);
    const users = s.migrations.find((m) => m.version === V.users)!;
    expect(users.state).toBe('changed');
    expect(users.label).toBe('installed (different checksum)');
    expect(users.checksum).toEqual({ stored: old, local: now });

    const repair = await run(['repair']);
    expect(repair.stderr).toBe('');
    expect(repair.code).toBe(0);
    const after = await sqlxStoredRows(url);
    expect(after[0]).toEqual({ ...before[0], checksum: now }); // only the checksum changed
    expect(after[1]).toEqual(before[1]);
    expect(await run(['repair'])).toEqual({ code: 0, stdout: 'no change\n', stderr: '' });

    expect((await run(['up'])).code).toBe(0);
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir)); // the edited file's checksum, as sqlx would store it
    expect(await sqlxMigrateRun(url, dir)).toEqual([]);
  });

  it('a dirty row (success = false): up and down refuse with "partially applied", repair deletes it, up retries', async () => {
    const url = await freshDatabase('fsqlx_dirty');
    const dir = copyFixture('sqlx');
    const run = ladderOn(dir, url);
    await sqlxMigrateRun(url, dir, { targetVersion: V.users });
    // sqlx never writes success = false on PostgreSQL; another tool or a hand edit does (spec §2.4)
    const posts = readFileSync(join(dir, `${V.posts}_create_posts.up.sql`));
    await query(url, 'INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES ($1, $2, FALSE, $3, -1)', [
      V.posts,
      'create posts',
      createHash('sha384').update(posts).digest(),
    ]);
    const before = await sqlxStoredRows(url);

    const dirty = `migration ${V.posts} is partially applied; fix and remove row from \`_sqlx_migrations\` table`;
    for (const args of [['up'], ['down', '1']]) {
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`error: ${dirty}\n`);
      expect(await sqlxStoredRows(url)).toEqual(before);
    }
    await expect(sqlxMigrateRun(url, dir)).rejects.toThrow(dirty);
    expect(await query(url, "select to_regclass('posts') t")).toEqual([{ t: null }]);

    const s = await statusJson(run);
    expect(s.dirty).toBe(true);
    expect(states(s)[V.posts]).toBe('dirty');
    const text = await run(['status']);
    expect(text.stdout).toContain(`Version ${V.posts} failed part-way`);

    const repair = await run(['repair']);
    expect(repair.code).toBe(0);
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir, [V.users]));
    const up = await run(['up']);
    expect(up.code).toBe(0);
    expect(stepLines(up.stdout)[0]).toBe(`${V.posts}/u create posts`);
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir));
  });

  it('a row without a file refuses up; forget removes it without running anything', async () => {
    const url = await freshDatabase('fsqlx_missing');
    const dir = copyFixture('sqlx');
    const run = ladderOn(dir, url);
    await sqlxMigrateRun(url, dir, { targetVersion: V.posts });
    await query(url, 'INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (20231231000000, $1, TRUE, $2, 1000)', ['gone', Buffer.alloc(48)]);
    const before = await sqlxStoredRows(url);
    const up = await run(['up']);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('error: migration 20231231000000 was previously applied but is missing in the resolved migrations\n');
    expect(await sqlxStoredRows(url)).toEqual(before);
    expect((await run(['forget', '20231231000000'])).code).toBe(0);
    expect(core(await sqlxStoredRows(url))).toEqual(sqlxExpectedRows(dir, [V.users, V.posts]));
  });

  it('force records the row sqlx would write without running the file', async () => {
    const url = await freshDatabase('fsqlx_force');
    const dir = copyFixture('sqlx');
    const run = ladderOn(dir, url);
    await sqlxMigrateRun(url, dir, { targetVersion: V.users });
    const r = await run(['force', V.posts]);
    expect(r.code).toBe(0);
    expect(await query(url, "select to_regclass('posts') t")).toEqual([{ t: null }]);
    const rows = await sqlxStoredRows(url);
    expect(rows.map(({ version, description, success, checksum }) => ({ version, description, success, checksum }))).toEqual(sqlxExpectedRows(dir, [V.users, V.posts]));
    expect(rows[1]!.execution_time).toBe('-1'); // nothing ran: sqlx's "never measured"
  });
});

describe('sqlx: the lock', () => {
  it("Ladder holds the sqlx library's advisory lock, 0x3d32ad9e * crc32(current_database()), while it runs", async () => {
    expect(sqlxLibraryLockId('ladder_test')).toBe(2314606599059585876n); // the spec's vector, through the test's own CRC-32
    const url = await freshDatabase('fsqlx_lock');
    const dir = copyFixture('sqlx');
    const gate = await closedGate(url); // the new migration waits here until the lock has been looked at
    writeFileSync(join(dir, '20240106090000_slow.sql'), `${gate.sql} /* fsqlx_lock_probe */;\n`);
    const key = sqlxLibraryLockId(new URL(url).pathname.slice(1));
    const ladderRun = startLadder(['-path', dir, '-database', url, 'up']);
    await gate.reached();
    expect(await advisoryHolders(url, key)).toEqual([{ application_name: 'ladder' }]);
    // Migrator::run would wait here: pg_advisory_lock on the same key is not available
    expect(await query(url, 'select pg_try_advisory_lock($1::bigint) ok', [String(key)])).toEqual([{ ok: false }]);
    await gate.open();
    const r = await ladderRun.result;
    expect(r.code).toBe(0);
    expect(await advisoryHolders(url, key)).toEqual([]);
    expect((await sqlxStoredRows(url)).map((x) => x.version)).toEqual([...ALL, '20240106090000']);
  });
});
