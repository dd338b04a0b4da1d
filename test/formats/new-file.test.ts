import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbmate, HAVE_DBMATE } from '../fixtures/dbmate/dbmate-cli.js';
import { LadderError, UsageError } from '../../src/errors.js';
import { DBMATE_TEMPLATE, dbmateNewFile, dbmateTimestamp } from '../../src/formats/dbmate/new-file.js';
import { parseFileName } from '../../src/formats/dbmate/parse.js';
import { FLYWAY_TEMPLATE, flywayNewFile } from '../../src/formats/flyway/new-file.js';
import { parseFlywayName } from '../../src/formats/flyway/parse-name.js';
import { parseSqlxName } from '../../src/formats/sqlx/parse-name.js';
import { SQLX_TEMPLATES, sqlxNewFiles, sqlxSequential, sqlxTimestamp } from '../../src/formats/sqlx/new-file.js';

/** 2024-03-05 07:08:09.987 UTC; 08:08:09 in Europe/Berlin, so local time would show up. */
const NOW = new Date(Date.UTC(2024, 2, 5, 7, 8, 9, 987));
const STAMP = '20240305070809';

function bytes(text: string): number[] {
  return [...Buffer.from(text, 'utf8')];
}

describe('dbmate new', () => {
  it('writes <UTC YYYYMMDDhhmmss>_<name>.sql with the 33-byte template', () => {
    const { files } = dbmateNewFile('create_users', NOW, []);
    expect(files).toEqual([{ name: `${STAMP}_create_users.sql`, contents: '-- migrate:up\n\n\n-- migrate:down\n\n' }]);
    // pkg/dbmate/db.go migrationTemplate; `od -c` of a file made by dbmate 2.36.0.
    expect(bytes(files[0]!.contents)).toEqual(bytes('-- migrate:up').concat([10, 10, 10], bytes('-- migrate:down'), [10, 10]));
    expect(Buffer.byteLength(DBMATE_TEMPLATE)).toBe(33);
  });

  it('keeps the name verbatim (spaces, case, dots)', () => {
    expect(dbmateNewFile('Add users', NOW, []).files[0]!.name).toBe(`${STAMP}_Add users.sql`);
    expect(dbmateNewFile('v2.schema', NOW, []).files[0]!.name).toBe(`${STAMP}_v2.schema.sql`);
  });

  it('uses UTC, zero-padded, ignoring milliseconds', () => {
    expect(dbmateTimestamp(new Date(Date.UTC(999, 0, 2, 3, 4, 5, 999)))).toBe('09990102030405');
    expect(dbmateTimestamp(new Date('2024-12-31T23:59:59.999-01:00'))).toBe('20250101005959');
  });

  it('gives a name dbmate reads back with the timestamp as version', () => {
    const name = dbmateNewFile('x', NOW, []).files[0]!.name;
    expect(parseFileName(name)).toMatchObject({ version: STAMP });
  });

  it('refuses an empty name with dbmate\'s text', () => {
    expect(() => dbmateNewFile('', NOW, [])).toThrow(new LadderError('please specify a name for the new migration'));
  });

  it('refuses an existing file with dbmate\'s text', () => {
    expect(() => dbmateNewFile('x', NOW, ['README.md', `${STAMP}_x.sql`])).toThrow('file already exists');
    // Another name in the same second is fine.
    expect(dbmateNewFile('y', NOW, [`${STAMP}_x.sql`]).files[0]!.name).toBe(`${STAMP}_y.sql`);
  });

  it('refuses path separators and NUL (Ladder guard)', () => {
    expect(() => dbmateNewFile('a/b', NOW, [])).toThrow(LadderError);
    expect(() => dbmateNewFile('a\0b', NOW, [])).toThrow(LadderError);
  });

  it('refuses an invalid date', () => {
    expect(() => dbmateNewFile('x', new Date(NaN), [])).toThrow(LadderError);
  });
});

describe.skipIf(!HAVE_DBMATE)('dbmate new: the real dbmate 2.36.0 binary agrees', () => {
  const URL = 'postgres://nobody@127.0.0.1:1/unused'; // `new` never connects

  it('same name and bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbmate-new-'));
    const before = new Date();
    const r = await dbmate(URL, dir, ['new', 'add users']);
    const after = new Date();
    expect(r.code).toBe(0);
    const [made] = readdirSync(dir);
    expect(r.stdout).toBe(`Creating migration: ${join(dir, made!)}\n`);
    const expected = [before, after].map((t) => dbmateNewFile('add users', t, []).files[0]!);
    expect(expected.map((f) => f.name)).toContain(made);
    expect(readFileSync(join(dir, made!), 'utf8')).toBe(expected[0]!.contents);
  });

  it('same error texts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbmate-new-'));
    const empty = await dbmate(URL, dir, ['new']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toBe('Error: please specify a name for the new migration\n');
    // Pre-create the names for this second and the next two, so the clock cannot slip past them.
    const t = Date.now();
    for (let i = 0; i < 3; i++) writeFileSync(join(dir, dbmateNewFile('x', new Date(t + i * 1000), []).files[0]!.name), '');
    const exists = await dbmate(URL, dir, ['new', 'x']);
    expect(exists.code).toBe(2);
    expect(exists.stderr).toBe('Error: file already exists\n');
  });
});

describe('sqlx migrate add (v0.8.6)', () => {
  const add = (description: string, existing: string[], extra: { reversible?: boolean; sequential?: boolean; timestamp?: boolean } = {}) =>
    sqlxNewFiles(description, { now: NOW, existing, ...extra });

  it('has the exact templates', () => {
    expect(SQLX_TEMPLATES).toEqual({
      simple: '-- Add migration script here\n',
      'reversible-up': '-- Add up migration script here\n',
      'reversible-down': '-- Add down migration script here\n',
    });
  });

  it('empty folder: a simple timestamped file, spaces to underscores', () => {
    const r = add('create users table', []);
    expect(r).toEqual({
      files: [{ name: `${STAMP}_create_users_table.sql`, contents: '-- Add migration script here\n' }],
      version: STAMP,
      ordering: 'timestamp',
      reversible: false,
      reversibleIgnored: false,
    });
    expect(sqlxTimestamp(NOW)).toBe(STAMP);
  });

  it('empty folder with -r: the up then the down file', () => {
    const r = add('create users', [], { reversible: true });
    expect(r.files).toEqual([
      { name: `${STAMP}_create_users.up.sql`, contents: '-- Add up migration script here\n' },
      { name: `${STAMP}_create_users.down.sql`, contents: '-- Add down migration script here\n' },
    ]);
    expect(r.reversible).toBe(true);
  });

  it('only spaces become underscores; the rest is verbatim', () => {
    expect(add(' Add\tUsers-2 ', []).files[0]!.name).toBe(`${STAMP}__Add\tUsers-2_.sql`);
    expect(add('', []).files[0]!.name).toBe(`${STAMP}_.sql`);
  });

  it('names read back by sqlx with the same version and description', () => {
    const [up, down] = add('create users', ['0001_init.up.sql', '0001_init.down.sql']).files;
    expect(parseSqlxName(up!.name)).toEqual({ kind: 'migration', version: 2n, type: 'reversible-up', description: 'create users' });
    expect(parseSqlxName(down!.name)).toEqual({ kind: 'migration', version: 2n, type: 'reversible-down', description: 'create users' });
  });

  describe('type: the first (lowest) existing migration decides', () => {
    it('simple first: -r is ignored', () => {
      const r = add('x', ['20200101000000_a.sql', '20210101000000_b.up.sql', '20210101000000_b.down.sql'], { reversible: true });
      expect(r.files.map((f) => f.name)).toEqual([`${STAMP}_x.sql`]);
      expect(r.reversible).toBe(false);
      expect(r.reversibleIgnored).toBe(true);
    });

    it('reversible first: a pair even without -r', () => {
      const r = add('x', ['20210101000000_b.sql', '20200101000000_a.down.sql', '20200101000000_a.up.sql']);
      expect(r.files.map((f) => f.name)).toEqual([`${STAMP}_x.up.sql`, `${STAMP}_x.down.sql`]);
      expect(r.reversible).toBe(true);
      expect(r.reversibleIgnored).toBe(false);
    });

    it('a lone .down.sql first also counts as reversible', () => {
      expect(add('x', ['1_a.down.sql']).reversible).toBe(true);
    });

    it('no refusal for folders mixing simple and reversible files', () => {
      expect(() => add('x', ['1_a.sql', '2_b.up.sql', '2_b.down.sql'], { reversible: true })).not.toThrow();
    });

    it('ignores names sqlx skips', () => {
      expect(add('x', ['README.md', 'notes.sql', '1_a.sql.bak', '1_a.up.sql.orig'], { reversible: true }).reversible).toBe(true);
    });
  });

  describe('version inference', () => {
    it('last two up/simple versions 1 apart: sequential, {:04}', () => {
      const r = add('c', ['0001_a.sql', '0002_b.sql']);
      expect(r.ordering).toBe('sequential');
      expect(r.files[0]!.name).toBe('0003_c.sql');
    });

    it('down files are left out of the comparison', () => {
      expect(add('c', ['0001_a.up.sql', '0001_a.down.sql', '0002_b.up.sql', '0002_b.down.sql']).files.map((f) => f.name)).toEqual([
        '0003_c.up.sql',
        '0003_c.down.sql',
      ]);
    });

    it('compares only the last two', () => {
      expect(add('c', ['1_a.sql', '5_b.sql', '6_c.sql']).version).toBe('0007');
      expect(add('c', ['1_a.sql', '2_b.sql', '4_c.sql']).ordering).toBe('timestamp');
    });

    it('sorts numerically, not by name', () => {
      expect(add('c', ['10_b.sql', '9_a.sql']).version).toBe('0011');
    });

    it('a single migration 0 or 1 infers sequential', () => {
      expect(add('c', ['0_a.sql']).version).toBe('0001');
      expect(add('c', ['1_a.sql']).version).toBe('0002');
      expect(add('c', ['01_a.up.sql', '01_a.down.sql']).version).toBe('0002');
    });

    it('a single migration of another version infers a timestamp', () => {
      expect(add('c', ['2_a.sql']).version).toBe(STAMP);
      expect(add('c', ['20200101000000_a.sql']).version).toBe(STAMP);
    });

    it('timestamps 1 second apart look sequential (as in sqlx)', () => {
      expect(add('c', ['20200101000000_a.sql', '20200101000001_b.sql']).version).toBe('20200101000002');
    });

    it('equal versions are not 1 apart', () => {
      expect(add('c', ['1_a.sql', '1_b.sql']).ordering).toBe('timestamp');
    });

    it('only down files: nothing to compare, a timestamp', () => {
      expect(add('c', ['1_a.down.sql']).ordering).toBe('timestamp');
    });

    it('versions beyond 9999 are written in full', () => {
      expect(add('c', ['12344_a.sql', '12345_b.sql']).version).toBe('12346');
    });

    it('negative versions keep the sign inside the width', () => {
      expect(add('c', ['-3_a.sql', '-2_b.sql']).version).toBe('-001');
      expect(sqlxSequential(-12345n)).toBe('-12345');
      expect(sqlxSequential(7n)).toBe('0007');
    });
  });

  describe('--sequential and --timestamp', () => {
    it('--sequential: highest version (downs included) + 1, or 0001', () => {
      expect(add('c', [], { sequential: true }).files[0]!.name).toBe('0001_c.sql');
      expect(add('c', ['20200101000000_a.sql'], { sequential: true }).version).toBe('20200101000001');
      expect(add('c', ['1_a.sql', '7_b.down.sql'], { sequential: true }).version).toBe('0008');
    });

    it('--timestamp overrides a sequential folder', () => {
      const r = add('c', ['0001_a.sql', '0002_b.sql'], { timestamp: true });
      expect(r.ordering).toBe('timestamp');
      expect(r.version).toBe(STAMP);
    });

    it('both flags are a usage error', () => {
      expect(() => add('c', [], { timestamp: true, sequential: true })).toThrow(UsageError);
    });

    it('refuses to go past i64::MAX', () => {
      expect(() => add('c', ['9223372036854775807_a.sql'], { sequential: true })).toThrow(LadderError);
    });
  });

  describe('errors', () => {
    it('an unparsable version fails the whole command, like Migrator::new', () => {
      expect(() => add('c', ['0001_a.sql', 'README_notes.sql'], { timestamp: true })).toThrow(
        'while resolving migrations: error parsing migration filename "README_notes.sql"; expected integer version prefix (e.g. `01_foo.sql`)',
      );
      expect(() => add('c', ['V1__init.sql'])).toThrow('error parsing migration filename "V1__init.sql"');
    });

    it('refuses to overwrite an existing file (sqlx would truncate it)', () => {
      expect(() => add('c', [`${STAMP}_c.sql`, '20200101000000_a.sql'])).toThrow(`${STAMP}_c.sql already exists`);
    });

    it('refuses "/" and NUL in the description', () => {
      expect(() => add('a/b', [])).toThrow(LadderError);
      expect(() => add('a\0b', [])).toThrow(LadderError);
    });
  });
});

describe('flyway new (Ladder convention)', () => {
  it('empty folder: V1__<description>.sql with one comment line', () => {
    expect(flywayNewFile('create users', [])).toEqual({
      files: [{ name: 'V1__create_users.sql', contents: '-- Add migration script here\n' }],
      version: '1',
    });
    expect(FLYWAY_TEMPLATE).toBe('-- Add migration script here\n');
  });

  it('next = highest major part + 1', () => {
    expect(flywayNewFile('x', ['V1__a.sql', 'V2__b.sql', 'V10__c.sql', 'V9__d.sql']).files[0]!.name).toBe('V11__x.sql');
    expect(flywayNewFile('x', ['V1_2__a.sql']).version).toBe('2');
    expect(flywayNewFile('x', ['V3.9.1__a.sql', 'V1__b.sql']).version).toBe('4');
    expect(flywayNewFile('x', ['V007__a.sql']).version).toBe('8');
    expect(flywayNewFile('x', ['V20240101120000__a.sql']).version).toBe('20240101120001');
  });

  it('counts undo and baseline files, and files in subfolders', () => {
    expect(flywayNewFile('x', ['V1__a.sql', 'B5__base.sql']).version).toBe('6');
    expect(flywayNewFile('x', ['V1__a.sql', 'U3__a.sql']).version).toBe('4');
    expect(flywayNewFile('x', ['V1__a.sql', 'sub/dir/V4__b.sql']).version).toBe('5');
  });

  it('ignores repeatables, callbacks, invalid names and other files', () => {
    expect(flywayNewFile('x', ['R__views.sql', 'beforeMigrate.sql', 'V__bad.sql', 'Vabc__bad.sql', 'v9__lower.sql', 'README.md']).version).toBe('1');
  });

  it('accepts the case-insensitive suffix Flyway accepts', () => {
    expect(flywayNewFile('x', ['V4__a.SQL']).version).toBe('5');
  });

  it('gives a name Flyway reads back with the same version and description', () => {
    const name = flywayNewFile('add users table', ['V2__a.sql']).files[0]!.name;
    expect(name).toBe('V3__add_users_table.sql');
    expect(parseFlywayName(name)).toMatchObject({ kind: 'versioned', version: { display: '3' }, description: 'add users table' });
  });

  it('refuses an empty description, "/" and NUL', () => {
    expect(() => flywayNewFile('', [])).toThrow(LadderError);
    expect(() => flywayNewFile('  ', [])).toThrow(LadderError);
    expect(() => flywayNewFile('a/b', [])).toThrow(LadderError);
    expect(() => flywayNewFile('a\0b', [])).toThrow(LadderError);
  });
});
