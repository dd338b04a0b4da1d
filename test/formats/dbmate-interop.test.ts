import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { freshDatabase, query } from '../helpers/db.js';
import { catalogSnapshot } from '../../src/db/catalog.js';
import { LadderError } from '../../src/errors.js';
import {
  compareFileNames,
  dbmateTracker,
  isDbmateTable,
  parseFileName,
  readDbmateSource,
  searchPathSchema,
  sectionPosition,
  type DbmateMigration,
} from '../../src/formats/dbmate/index.js';
import { dbmate, dirOf, dirWith, ladderMigrate, ladderRollback, SAMPLE, sqlFiles, trackerFor, withClient, HAVE_DBMATE } from '../fixtures/dbmate/dbmate-cli.js';

/**
 * Differential tests against the real dbmate 2.36.0 binary (devDependency `dbmate`): whatever one
 * tool leaves in the database, the other must read and continue from, with the same end result.
 */

const FILES = sqlFiles(SAMPLE);
const VERSIONS = FILES.map((f) => f.slice(0, 14));
const rows = (url: string, table = 'schema_migrations') => query(url, `select * from ${table} order by version`);
const schema = (url: string) => withClient(url, (c) => catalogSnapshot(c, undefined, { excludeTables: [] })); // the tracking table included
const userSchema = (url: string) => withClient(url, (c) => catalogSnapshot(c, undefined, { excludeTables: ['schema_migrations'] }));
const DURATION = String.raw`in [0-9.]+(?:ns|µs|ms|s|m)+`;

function expectOk(r: { code: number | null; stderr: string }): void {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
}

describe.skipIf(!HAVE_DBMATE)(`dbmate and Ladder take turns on one database${HAVE_DBMATE ? '' : ' (skipped: the dbmate 2.36.0 binary is only available for linux-x64)'}`, () => {
  it("dbmate applies two, Ladder the rest; dbmate's status sees all five and its rollback undoes Ladder's work", async () => {
    const url = await freshDatabase('dbmate_then_ladder');
    const first = await dbmate(url, dirWith(SAMPLE, FILES.slice(0, 2)), ['migrate']);
    expectOk(first);
    expect(first.stdout).toMatch(new RegExp(`^Applying: ${FILES[0]}\nApplied: ${FILES[0]} ${DURATION}\nApplying: ${FILES[1]}\nApplied: ${FILES[1]} ${DURATION}\n$`));
    expect(await rows(url)).toEqual(VERSIONS.slice(0, 2).map((version) => ({ version })));

    const listing = await readDbmateSource(SAMPLE);
    expect(await ladderMigrate(url, listing)).toEqual(VERSIONS.slice(2));
    expect(await rows(url)).toEqual(VERSIONS.map((version) => ({ version })));

    const status = await dbmate(url, SAMPLE, ['status']);
    expectOk(status);
    expect(status.stdout).toBe(`${FILES.map((f) => `[X] ${f}`).join('\n')}\n\nApplied: 5\nPending: 0\n`);
    expect((await dbmate(url, SAMPLE, ['status', '--exit-code'])).code).toBe(0);

    // dbmate rolls back the three Ladder applied, the transaction:false index included
    for (const f of [...FILES].reverse().slice(0, 3)) {
      const rb = await dbmate(url, SAMPLE, ['rollback']);
      expectOk(rb);
      expect(rb.stdout).toMatch(new RegExp(`^Rolling back: ${f}\nRolled back: ${f} ${DURATION}\n$`));
    }
    expect(await rows(url)).toEqual(VERSIONS.slice(0, 2).map((version) => ({ version })));
    expect(await query(url, "select to_regclass('plans') is null a, to_regclass('projects_name_lower_idx') is null b, to_regproc('touch_updated_at') is null c")).toEqual([
      { a: true, b: true, c: true },
    ]);
    const after = await dbmate(url, SAMPLE, ['status', '--exit-code']);
    expect(after.code).toBe(1);
    expect(after.stdout).toBe(`[X] ${FILES[0]}\n[X] ${FILES[1]}\n[ ] ${FILES[2]}\n[ ] ${FILES[3]}\n[ ] ${FILES[4]}\n\nApplied: 2\nPending: 3\n`);

    // and Ladder rolls back what dbmate applied
    expect(await ladderRollback(url, listing)).toBe(VERSIONS[1]);
    expect(await ladderRollback(url, listing)).toBe(VERSIONS[0]);
    expect(await rows(url)).toEqual([]);
    const none = await dbmate(url, SAMPLE, ['rollback']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe("Error: can't rollback: no migrations have been applied\n");
  });

  it('Ladder applies three, dbmate finishes: rows and schema are those of a database migrated by dbmate alone, and back again', async () => {
    const mixed = await freshDatabase('ladder_then_dbmate');
    const dbmateOnly = await freshDatabase('dbmate_only');
    const ladderOnly = await freshDatabase('ladder_only');
    const empty = await userSchema(mixed);
    const listing = await readDbmateSource(SAMPLE);

    expect(await ladderMigrate(mixed, listing, { limit: 3 })).toEqual(VERSIONS.slice(0, 3));
    const rest = await dbmate(mixed, SAMPLE, ['migrate']);
    expectOk(rest);
    expect(rest.stdout.match(/^Applying: .*$/gm)).toEqual([`Applying: ${FILES[3]}`, `Applying: ${FILES[4]}`]);
    expectOk(await dbmate(dbmateOnly, SAMPLE, ['migrate']));
    await ladderMigrate(ladderOnly, listing);

    expect(await rows(mixed)).toEqual(VERSIONS.map((version) => ({ version })));
    expect(await rows(mixed)).toEqual(await rows(dbmateOnly));
    expect(await rows(ladderOnly)).toEqual(await rows(dbmateOnly));
    const reference = await schema(dbmateOnly);
    expect(reference.tables.map((t) => t.name).sort()).toEqual(['accounts', 'plans', 'projects', 'schema_migrations']);
    expect(await schema(mixed)).toEqual(reference);
    expect(await schema(ladderOnly)).toEqual(reference); // Ladder's tracking table is dbmate's, column for column
    expect(await withClient(dbmateOnly, (c) => isDbmateTable(c, 'public', 'schema_migrations'))).toBe(true);

    // Ladder rolls back everything on the mixed database, dbmate everything on its own
    for (let i = 0; i < 5; i++) await ladderRollback(mixed, listing);
    for (let i = 0; i < 5; i++) expectOk(await dbmate(dbmateOnly, SAMPLE, ['rollback']));
    expect(await rows(mixed)).toEqual([]);
    expect(await schema(mixed)).toEqual(await schema(dbmateOnly));
    expect((await schema(mixed)).tables.map((t) => t.name)).toEqual(['schema_migrations']);
    expect(await userSchema(mixed)).toEqual(empty);
  });

  it('a schema.table override and a search_path schema lead both tools to the same table', async () => {
    const url = await freshDatabase('dbmate_override');
    const listing = await readDbmateSource(SAMPLE);
    const first = await dbmate(url, dirWith(SAMPLE, FILES.slice(0, 1)), ['--migrations-table', 'ops.dbmate_log', 'migrate']);
    expectOk(first);
    expect(first.stdout).toMatch(/^Creating schema: ops\n/);
    expect(await ladderMigrate(url, listing, { table: 'ops.dbmate_log' })).toEqual(VERSIONS.slice(1));
    const status = await dbmate(url, SAMPLE, ['status'], { DBMATE_MIGRATIONS_TABLE: 'ops.dbmate_log' });
    expect(status.stdout).toContain('Applied: 5\nPending: 0\n');
    expect(await query(url, "select to_regclass('public.schema_migrations') is null none")).toEqual([{ none: true }]);

    // search_path in the URL: dbmate keeps its table in the first entry's schema
    const sp = `${url}&search_path=${encodeURIComponent(' app ,public')}`;
    const noop = dirOf({ '1_a.sql': '-- migrate:up\n-- migrate:down\n', '2_b.sql': '-- migrate:up\n-- migrate:down\n' });
    expectOk(await dbmate(sp, dirWith(noop, ['1_a.sql']), ['migrate']));
    expect(await rows(url, 'app.schema_migrations')).toEqual([{ version: '1' }]);
    await withClient(url, async (c) => {
      const t = dbmateTracker({ schema: searchPathSchema(sp), databaseName: 'x' });
      expect((await t.readApplied(c)).map((r) => r.version)).toEqual(['1']);
      await t.ensureTable(c);
      await t.applyUp(c, (await readDbmateSource(noop)).migrations[1]!);
    });
    expect((await dbmate(sp, noop, ['status'])).stdout).toBe('[X] 1_a.sql\n[X] 2_b.sql\n\nApplied: 2\nPending: 0\n');
  });
});

describe.skipIf(!HAVE_DBMATE)(`Ladder reads dbmate files as dbmate does${HAVE_DBMATE ? '' : ' (skipped: the dbmate 2.36.0 binary is only available for linux-x64)'}`, () => {
  it("lists files in dbmate's order and skips what dbmate skips", async () => {
    // Names that share their digits share a version; they are here for the order, which only bytes decide.
    const named = ['9_x.sql', '10_y.sql', '001_a.sql', '1_b.sql', '0_z.sql', '123.sql', '2_\u{1F600}.sql', '2_\uFFFD.sql', '20240101_z.sql', '20240101_\u00e9.sql', '7_cr\r.sql'];
    const files: Record<string, string> = {};
    for (const n of [...named, 'a1.sql', '1_x.SQL', '1_x.sql.bak', 'README.md', '5_dir.sql/']) files[n] = '';
    const dir = dirOf(files);
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'nested', '4_inner.sql'), '-- migrate:up\n-- migrate:down\n');

    const listing = await readDbmateSource(dir);
    expect(listing.ignored).toEqual(['1_x.SQL', '1_x.sql.bak', 'README.md', 'a1.sql']);
    const order = named.filter((f) => parseFileName(f)).sort(compareFileNames);
    expect(order).toEqual(['001_a.sql', '0_z.sql', '10_y.sql', '123.sql', '1_b.sql', '20240101_z.sql', '20240101_\u00e9.sql', '2_\uFFFD.sql', '2_\u{1F600}.sql', '7_cr\r.sql', '9_x.sql']);
    const status = await dbmate(await freshDatabase('dbmate_order'), dir, ['status']);
    expectOk(status);
    expect(status.stdout).toBe(`${order.map((f) => `[ ] ${f}`).join('\n')}\n\nApplied: 0\nPending: ${order.length}\n`);
    // one migration per version, at its first file
    expect(listing.migrations.map((m) => (m as DbmateMigration).file)).toEqual(order.filter((f, i) => i === 0 || parseFileName(f)!.version !== parseFileName(order[i - 1]!)!.version));
    expect(listing.problems.filter((p) => p.kind === 'duplicate').map((p) => p.key)).toEqual(['20240101', '2']);
  });

  it('applies a folder in the order dbmate does, with the same rows', async () => {
    const names = ['9_x.sql', '10_y.sql', '001_a.sql', '1_b.sql', '0_z.sql', '123.sql', '2_\u{1F600}.sql', '20240101_\u00e9.sql', '7_cr\r.sql'];
    const files: Record<string, string> = { 'notes.txt': 'not a migration' };
    for (const n of names) files[n] = `-- migrate:up\ninsert into applied (file) values ('${n.replace('\r', '')}');\n-- migrate:down\n`;
    const dir = dirOf(files);
    const listing = await readDbmateSource(dir);
    expect(listing.problems).toEqual([]);
    const byDbmate = await freshDatabase('dbmate_apply_a');
    const byLadder = await freshDatabase('dbmate_apply_b');
    for (const url of [byDbmate, byLadder]) await query(url, 'create table applied (seq serial, file text)');
    expectOk(await dbmate(byDbmate, dir, ['migrate']));
    expect(await ladderMigrate(byLadder, listing)).toEqual(['001', '0', '10', '123', '1', '20240101', '2', '7', '9']);
    const applied = (url: string) => query(url, 'select file from applied order by seq').then((r) => r.map((x) => x.file));
    expect(await applied(byDbmate)).toEqual(['001_a.sql', '0_z.sql', '10_y.sql', '123.sql', '1_b.sql', '20240101_\u00e9.sql', '2_\u{1F600}.sql', '7_cr.sql', '9_x.sql']);
    expect(await applied(byLadder)).toEqual(await applied(byDbmate));
    expect(await rows(byLadder)).toEqual(await rows(byDbmate));
    expect((await dbmate(byLadder, dir, ['status'])).stdout).toBe((await dbmate(byDbmate, dir, ['status'])).stdout);
  });

  it('runs exactly the text dbmate runs, in or out of a transaction as dbmate does, and refuses what dbmate refuses', async () => {
    const cap = (name: string) => `insert into captured (name, q, in_tx) values ('${name}', current_query(), transaction_timestamp() < statement_timestamp());`;
    const U = (n: string) => cap(`${n} up`);
    const D = (n: string) => cap(`${n} down`);
    const cases: Record<string, string> = {
      lf: `-- migrate:up\n${U('lf')}\n-- migrate:down\n${D('lf')}\n`,
      'crlf-notx': `-- migrate:up transaction:false\r\n${U('crlf-notx')}\r\n-- migrate:down\r\n${D('crlf-notx')}\r\n`,
      'nospace-tabs': `--migrate:up\t\ttransaction:false foo:bar\n${U('nospace-tabs')}\n--\tmigrate:down transaction:False\n${D('nospace-tabs')}\n`,
      'leading-comments': `\n-- notes\r\n  \t\n\f\n  -- more\n-- migrate:up\n${U('leading-comments')}\n\n-- migrate:down\n${D('leading-comments')}`,
      'options-last-wins': `-- migrate:up transaction:false transaction:true\n${U('options-last-wins')}\n-- migrate:down transaction:true a:b:c transaction:false\n${D('options-last-wins')}\n`,
      'nel-after-option': `-- migrate:up transaction:false\u0085\n${U('nel-after-option')}\n-- migrate:down\n`,
      'bom-after-option': `-- migrate:up transaction:false\uFEFF\n${U('bom-after-option')}\n-- migrate:down\n`,
      'empty-down': `-- migrate:up\n${U('empty-down')}\n-- migrate:down\n`,
      'inline-directive': `-- migrate:up\n${U('inline-directive')} -- migrate:down transaction:false\n-- migrate:down\n${D('inline-directive')}\n`,
      'two-statements-notx': `-- migrate:up transaction:false\n${U('two-statements-notx')}\nselect 1;\n-- migrate:down transaction:false\n${D('two-statements-notx')}\n`,
      'bom-line1': `\uFEFF-- migrate:up\n${U('bom-line1')}\n-- migrate:down\n`,
      'bom-own-line': `\uFEFF\n-- migrate:up\n${U('bom-own-line')}\n-- migrate:down\n`,
      'vt-line': `\v\n-- migrate:up\n${U('vt-line')}\n-- migrate:down\n`,
      'stmt-before': `select 1;\n-- migrate:up\n${U('stmt-before')}\n-- migrate:down\n`,
      'no-down': `-- migrate:up\n${U('no-down')}\n`,
      'no-up': `${U('no-up')}\n`,
      'two-downs': `-- migrate:up\n${U('two-downs')}\n-- migrate:down\n-- migrate:down\n`,
      'nbsp-option': `-- migrate:up\n${U('nbsp-option')}\n-- migrate:down\u00a0transaction:false\n${D('nbsp-option')}\n`,
      'cr-only': `-- migrate:up\r${U('cr-only')}\r-- migrate:down\r${D('cr-only')}\r`,
      'down-first-comment': `-- migrate:down\n-- migrate:up\n${U('down-first-comment')}\n`,
    };
    const byDbmate = await freshDatabase('dbmate_text_a');
    const byLadder = await freshDatabase('dbmate_text_b');
    for (const url of [byDbmate, byLadder]) await query(url, 'create table captured (seq serial, name text, q text, in_tx boolean)');

    const dbmateOutcome: Record<string, string> = {};
    const ladderOutcome: Record<string, string> = {};
    let n = 100;
    await withClient(byLadder, async (c) => {
      const tracker = await trackerFor(c);
      await tracker.ensureTable(c);
      for (const [name, body] of Object.entries(cases)) {
        const dir = dirOf({ [`${n++}_${name}.sql`]: body });
        const up = await dbmate(byDbmate, dir, ['migrate']);
        const down = up.code === 0 ? await dbmate(byDbmate, dir, ['rollback']) : undefined;
        dbmateOutcome[name] = up.code === 0 ? `ok; rollback ${down!.code === 0 ? 'ok' : down!.stderr}` : up.stderr;

        const [m] = (await readDbmateSource(dir)).migrations as DbmateMigration[];
        if (!m!.up) {
          ladderOutcome[name] = `Error: ${m!.dbmateError}\n`;
          continue;
        }
        await tracker.applyUp(c, m!);
        const back = await tracker.applyDown(c, m!).then(
          () => 'ok',
          (e: Error) => e.message,
        );
        ladderOutcome[name] = `ok; rollback ${back}`;
      }
    });
    expect(ladderOutcome).toEqual(dbmateOutcome);
    const captured = (url: string) => query(url, 'select name, q, in_tx from captured order by seq');
    const fromDbmate = await captured(byDbmate);
    expect(await captured(byLadder)).toEqual(fromDbmate);
    expect(await rows(byLadder)).toEqual(await rows(byDbmate));

    // what dbmate did, spelled out, so agreeing on something wrong cannot pass
    const q = Object.fromEntries(fromDbmate.map((r) => [r.name, [r.q, r.in_tx]]));
    expect(q['lf up']).toEqual([`-- migrate:up\n${U('lf')}\n`, true]);
    expect(q['crlf-notx up']).toEqual([`-- migrate:up transaction:false\r\n${U('crlf-notx')}\r\n`, false]);
    expect(q['crlf-notx down']).toEqual([`-- migrate:down\r\n${D('crlf-notx')}\r\n`, true]);
    expect(q['nospace-tabs up']?.[1]).toBe(false);
    expect(q['nospace-tabs down']?.[1]).toBe(true);
    expect(q['leading-comments up']).toEqual([`-- migrate:up\n${U('leading-comments')}\n\n`, true]);
    expect(q['options-last-wins up']?.[1]).toBe(true);
    expect(q['nel-after-option up']?.[1]).toBe(false);
    expect(q['bom-after-option up']?.[1]).toBe(true);
    expect(q['options-last-wins down']?.[1]).toBe(false);
    expect(q['inline-directive up']?.[0]).toBe(`-- migrate:up\n${U('inline-directive')} -- migrate:down transaction:false\n`);
    expect(q['two-statements-notx up']).toEqual([`-- migrate:up transaction:false\n${U('two-statements-notx')}\nselect 1;\n`, false]);
    expect(dbmateOutcome['empty-down']).toBe('ok; rollback ok');
    expect(dbmateOutcome['bom-line1']).toBe("Error: dbmate requires each migration to define an up block with '-- migrate:up'\n");
    expect(dbmateOutcome['bom-own-line']).toBe("Error: dbmate does not support statements preceding the '-- migrate:up' block\n");
    expect(dbmateOutcome['vt-line']).toBe("Error: dbmate does not support statements preceding the '-- migrate:up' block\n");
    expect(dbmateOutcome['no-down']).toBe("Error: dbmate requires each migration to define a down block with '-- migrate:down'\n");
    expect(dbmateOutcome['nbsp-option']).toBe(dbmateOutcome['no-down']);
    expect(dbmateOutcome['cr-only']).toBe(dbmateOutcome['no-down']);
    expect(dbmateOutcome['two-downs']).toBe("Error: dbmate requires every '-- migrate:down' to be preceded by a '-- migrate:up'\n");
    expect(Object.values(dbmateOutcome).filter((o) => o.startsWith('ok'))).toHaveLength(10);
  });

  it('a section with CREATE INDEX CONCURRENTLY and a second statement fails the same way in both', async () => {
    const body = '-- migrate:up transaction:false\ncreate table t (id int);\ncreate index concurrently t_id on t (id);\n-- migrate:down\n';
    const dir = dirOf({ '1_mixed.sql': body });
    const byDbmate = await freshDatabase('dbmate_cic_a');
    const byLadder = await freshDatabase('dbmate_cic_b');
    const r = await dbmate(byDbmate, dir, ['migrate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('CREATE INDEX CONCURRENTLY cannot run inside a transaction block (25001)');
    const err = await withClient(byLadder, async (c) => {
      const t = await trackerFor(c);
      await t.ensureTable(c);
      return t.applyUp(c, (await readDbmateSource(dir)).migrations[0]!).catch((e: unknown) => e);
    });
    expect(err).toBeInstanceOf(pg.DatabaseError);
    expect(err).toMatchObject({ code: '25001', message: 'CREATE INDEX CONCURRENTLY cannot run inside a transaction block' });
    for (const url of [byDbmate, byLadder]) {
      expect(await rows(url)).toEqual([]);
      expect(await query(url, "select to_regclass('t') is null gone")).toEqual([{ gone: true }]);
    }
  });

  it("prints the line and column dbmate prints from the position in Ladder's unchanged PostgreSQL error", async () => {
    const files = {
      '1_lf.sql': '-- migrate:up\nselect 1;\nselec 2;\n-- migrate:down\n',
      '2_crlf.sql': "-- migrate:up\r\nselect '\u00e9\u{1F600}', 1;\r\nselect x y;\r\n-- migrate:down\r\n",
    };
    for (const [file, body] of Object.entries(files)) {
      const dir = dirOf({ [file]: body });
      const r = await dbmate(await freshDatabase('dbmate_pos_a'), dir, ['migrate']);
      expect(r.code).toBe(2);
      const err = await withClient(await freshDatabase('dbmate_pos_b'), async (c) => {
        const t = await trackerFor(c);
        await t.ensureTable(c);
        return t.applyUp(c, (await readDbmateSource(dir)).migrations[0]!).then(
          () => expect.fail('the migration has a syntax error'),
          (e: pg.DatabaseError) => e,
        );
      });
      expect(err).toBeInstanceOf(pg.DatabaseError);
      const sql = (await readDbmateSource(dir)).migrations[0]!.up!.sql;
      const { line, column } = sectionPosition(sql, Number(err.position));
      expect(r.stderr.startsWith(`Error: line: ${line}, column: ${column}, position: ${err.position}: pq: ${err.message}`), `${r.stderr} / ${line}:${column}`).toBe(true);
    }
  });

  it('a file with two sections: dbmate applies the first and fails on the second; Ladder refuses it up front', async () => {
    const dir = dirOf({ '1_two.sql': '-- migrate:up\ncreate table s1 ();\n-- migrate:down\ndrop table s1;\n-- migrate:up\ncreate table s2 ();\n-- migrate:down\ndrop table s2;\n' });
    const url = await freshDatabase('dbmate_two_sections');
    const r = await dbmate(url, dir, ['migrate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('duplicate key value violates unique constraint "schema_migrations_pkey"');
    expect(await query(url, "select to_regclass('s1') is not null s1, to_regclass('s2') is null s2")).toEqual([{ s1: true, s2: true }]);
    expect(await rows(url)).toEqual([{ version: '1' }]);

    const listing = await readDbmateSource(dir);
    expect(listing.problems).toMatchObject([{ kind: 'unsupported', key: '1' }]);
    const t = dbmateTracker({ schema: 'public', databaseName: 'x' });
    await expect(t.applyUp({ query: () => Promise.reject(new Error('must not run')) } as never, listing.migrations[0]!)).rejects.toBeInstanceOf(LadderError);
  });

  it('two files with one version: dbmate runs the first and fails on the second; both show applied', async () => {
    const dir = dirOf({ '1.sql': '-- migrate:up\ncreate table a ();\n-- migrate:down\n', '1_b.sql': '-- migrate:up\ncreate table b ();\n-- migrate:down\n' });
    const url = await freshDatabase('dbmate_dupes');
    const r = await dbmate(url, dir, ['migrate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^Applying: 1\.sql\n.*\nApplying: 1_b\.sql\n/);
    expect(r.stderr).toContain('duplicate key value');
    expect((await dbmate(url, dir, ['status'])).stdout).toBe('[X] 1.sql\n[X] 1_b.sql\n\nApplied: 2\nPending: 0\n');
    const listing = await readDbmateSource(dir);
    expect(listing.migrations.map((m) => (m as DbmateMigration).file)).toEqual(['1.sql']);
    expect(listing.problems).toMatchObject([{ kind: 'duplicate', key: '1' }]);
  });
});
