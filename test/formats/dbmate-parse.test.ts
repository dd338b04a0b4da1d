import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { chmodSync } from 'node:fs';
import {
  compareFileNames,
  dbmateFolderScore,
  dbmateFormat,
  dbmateNameScore,
  parseFileName,
  parseMigrationContents,
  PARSE_ERRORS,
  readDbmateSource,
  sectionPosition,
  type DbmateMigration,
} from '../../src/formats/dbmate/index.js';
import { parseOptions } from '../../src/formats/dbmate/parse.js';
import { LadderError } from '../../src/errors.js';
import { dirOf, SAMPLE } from '../fixtures/dbmate/dbmate-cli.js';

const ok = (contents: string) => {
  const r = parseMigrationContents(contents);
  if (!r.ok) throw new Error(`expected a parse, got: ${r.message}`);
  return r.sections;
};
const errorOf = (contents: string) => {
  const r = parseMigrationContents(contents);
  return r.ok ? null : r.code;
};
const VALID = '-- migrate:up\ncreate table t (id int);\n-- migrate:down\ndrop table t;\n';

describe('dbmate file names', () => {
  it('takes the leading digits as the version, as text', () => {
    expect(parseFileName('20151127184807_create_users_table.sql')).toEqual({ version: '20151127184807', description: 'create_users_table' });
    expect(parseFileName('001_a.sql')).toEqual({ version: '001', description: 'a' });
    expect(parseFileName('1_a.sql')?.version).toBe('1');
    expect(parseFileName('123.sql')).toEqual({ version: '123', description: '' });
    expect(parseFileName('7-dash.sql')).toEqual({ version: '7', description: '-dash' });
    expect(parseFileName('20240101_create.up.sql')).toEqual({ version: '20240101', description: 'create.up' });
    // 2^64 and beyond: dbmate never converts the version to a number
    expect(parseFileName('99999999999999999999999_big.sql')?.version).toBe('99999999999999999999999');
  });

  it('skips what the regex ^(\\d+).*\\.sql$ does not match', () => {
    for (const f of ['a1.sql', '1_x.SQL', '1_x.sql.bak', 'README.md', '.sql', '_1.sql', ' 1.sql', '\u0661_arabic_digit.sql', '1_x.sq'])
      expect(parseFileName(f), f).toBeNull();
  });

  it("uses RE2's `.`, which crosses \\r and U+2028 but not \\n", () => {
    expect(parseFileName('1_a\r.sql')?.version).toBe('1');
    expect(parseFileName('1_a\u2028.sql')?.version).toBe('1');
    expect(parseFileName('1_a\n.sql')).toBeNull();
  });

  it('sorts by file name as Go strings compare: bytes, not numbers', () => {
    const names = ['9_x.sql', '10_y.sql', '1_b.sql', '001_a.sql', '1.sql', '2_\u{1F600}.sql', '2_\uFFFD.sql', '20240101_z.sql', '20240101_\u00e9.sql'];
    expect([...names].sort(compareFileNames)).toEqual([
      '001_a.sql',
      '1.sql',
      '10_y.sql',
      '1_b.sql',
      '20240101_z.sql',
      '20240101_\u00e9.sql',
      '2_\uFFFD.sql', // UTF-8 EF BF BD before F0 9F 98 80; UTF-16 order would put the emoji (D83D) first
      '2_\u{1F600}.sql',
      '9_x.sql',
    ]);
  });
});

describe('dbmate sections', () => {
  it("matches dbmate's own TestParse vector: both texts keep their directive line", () => {
    const [s, ...rest] = ok('-- migrate:up\ncreate table users (id serial, name text);\n-- migrate:down\ndrop table users;\n');
    expect(rest).toEqual([]);
    expect(s!.up).toBe('-- migrate:up\ncreate table users (id serial, name text);\n');
    expect(s!.down).toBe('-- migrate:down\ndrop table users;\n');
    expect(s!.upOptions.size).toBe(0);
  });

  it('keeps CRLF line endings byte for byte', () => {
    const [s] = ok('-- migrate:up transaction:true\r\ncreate table users (id serial);\r\n-- migrate:down transaction:false\r\ndrop table users;\r\n');
    expect(s!.up).toBe('-- migrate:up transaction:true\r\ncreate table users (id serial);\r\n');
    expect(s!.down).toBe('-- migrate:down transaction:false\r\ndrop table users;\r\n');
    expect(Object.fromEntries(s!.upOptions)).toEqual({ transaction: 'true' });
    expect(Object.fromEntries(s!.downOptions)).toEqual({ transaction: 'false' }); // the \r is trimmed
  });

  it('reads options as dbmate does: key:value tokens, last wins, only "false" disables', () => {
    expect(Object.fromEntries(parseOptions('-- migrate:up transaction:false'))).toEqual({ transaction: 'false' });
    expect(Object.fromEntries(parseOptions('--migrate:up\t transaction:false\tfoo:bar a:b:c lone'))).toEqual({ transaction: 'false', foo: 'bar' });
    expect(Object.fromEntries(parseOptions('-- migrate:up transaction:false transaction:true'))).toEqual({ transaction: 'true' });
    expect(Object.fromEntries(parseOptions('-- migrate:up transaction:'))).toEqual({ transaction: '' });
    expect(Object.fromEntries(parseOptions('-- migrate:up\nselect 1; -- transaction:false'))).toEqual({});
    // Go's TrimSpace: U+0085 is space, U+FEFF is not (the other way round from String.prototype.trim)
    expect(Object.fromEntries(parseOptions('-- migrate:up transaction:false\u0085'))).toEqual({ transaction: 'false' });
    expect(Object.fromEntries(parseOptions('-- migrate:up transaction:false\uFEFF'))).toEqual({ transaction: 'false\uFEFF' });
    const tx = (line: string) => ok(`${line}\nselect 1;\n-- migrate:down\n`)[0]!.upOptions.get('transaction') !== 'false';
    expect(tx('-- migrate:up transaction:False')).toBe(true);
    expect(tx('-- migrate:up transaction:false')).toBe(false);
    expect(tx('-- migrate:up TRANSACTION:false')).toBe(true);
  });

  it('needs no space after -- and allows spaces and tabs before the options', () => {
    const [s] = ok('--migrate:up\ncreate table t ();\n--\tmigrate:down   transaction:false\n');
    expect(s!.up).toBe('--migrate:up\ncreate table t ();\n');
    expect(s!.down).toBe('--\tmigrate:down   transaction:false\n');
    expect(s!.downOptions.get('transaction')).toBe('false');
  });

  it("is not fooled by JavaScript's wider \\s: NBSP, \\v and U+FEFF do not separate a directive from its options", () => {
    expect(errorOf('-- migrate:up\u00a0transaction:false\nselect 1;\n-- migrate:down\n')).toBe('missing-up');
    expect(errorOf('-- migrate:up\nselect 1;\n-- migrate:down\u000btransaction:false\n')).toBe('missing-down');
    expect(errorOf('-- migrate:up\nselect 1;\n-- migrate:down\uFEFF\n')).toBe('missing-down');
    expect(errorOf('-- migrate:upgrade\nselect 1;\n-- migrate:down\n')).toBe('missing-up');
  });

  it("anchors lines at \\n only, as RE2's (?m) does", () => {
    // A lone \r is no line break: the down directive sits mid-line and is not seen.
    expect(errorOf('-- migrate:up\rselect 1;\r-- migrate:down\rselect 2;\r')).toBe('missing-down');
    expect(errorOf('-- migrate:up\nselect 1;\u2028-- migrate:down\n')).toBe('missing-down');
  });

  it('allows blank and comment lines before the first up directive, and nothing else', () => {
    const [s] = ok('\n-- This migration creates the users table.\r\n   \t\r\n  -- indented comment\n-- migrate:up\nselect 1;\n\n-- migrate:down\nselect 2;\n');
    expect(s!.up).toBe('-- migrate:up\nselect 1;\n\n');
    expect(errorOf('create type s as enum (\'a\');\n-- migrate:up\nselect 1;\n-- migrate:down\n')).toBe('unexpected-statement');
    expect(errorOf('-- migrate:down\ndrop table users;\n-- migrate:up\ncreate table users ();\n')).toBe('unexpected-statement');
    // a down directive before the up is itself a comment line; the section after the up has no down
    expect(errorOf('-- migrate:down\n-- migrate:up\ncreate table users ();\n')).toBe('missing-down');
  });

  it('treats a BOM as text: on the directive line there is no up; on its own line it is a statement', () => {
    expect(errorOf(`\uFEFF${VALID}`)).toBe('missing-up');
    expect(errorOf(`\uFEFF\n${VALID}`)).toBe('unexpected-statement');
    expect(PARSE_ERRORS['missing-up']).toBe("dbmate requires each migration to define an up block with '-- migrate:up'");
  });

  it('reports a missing up, a missing down and two downs with dbmate\'s errors', () => {
    expect(errorOf('alter table users add column status text;\n')).toBe('missing-up');
    expect(errorOf('')).toBe('missing-up');
    expect(errorOf('-- migrate:down\ndrop table users;\n')).toBe('missing-up');
    expect(errorOf('-- migrate:up\ncreate table users ();\n')).toBe('missing-down');
    expect(errorOf('-- migrate:up\ncreate table a ();\n-- migrate:up\ncreate table b ();\n-- migrate:down\ndrop table b;\n')).toBe('missing-down');
    expect(errorOf('-- migrate:up\nselect 1;\n-- migrate:down\nselect 2;\n-- migrate:down\nselect 3;\n')).toBe('multiple-down');
    const r = parseMigrationContents('-- migrate:up\nx\n');
    expect(r).toEqual({ ok: false, code: 'missing-down', message: "dbmate requires each migration to define a down block with '-- migrate:down'" });
  });

  it('allows an empty down section and a file without a final newline', () => {
    const [s] = ok('-- migrate:up\ncreate table t ();\n-- migrate:down');
    expect(s!.down).toBe('-- migrate:down');
    expect(ok('-- migrate:up\n-- migrate:down\n')[0]!.up).toBe('-- migrate:up\n');
  });

  it('splits a file into sections at each up directive', () => {
    const sections = ok('-- migrate:up transaction:false\nA;\n-- migrate:down\nB;\n-- migrate:up\nC;\n-- migrate:down transaction:false\nD;\n');
    expect(sections.map((s) => [s.up, s.down, s.upOptions.get('transaction') ?? null, s.downOptions.get('transaction') ?? null])).toEqual([
      ['-- migrate:up transaction:false\nA;\n', '-- migrate:down\nB;\n', 'false', null],
      ['-- migrate:up\nC;\n', '-- migrate:down transaction:false\nD;\n', null, 'false'],
    ]);
  });

  it("computes dbmate's line/column of an error position over the section, not counting CR", () => {
    expect(sectionPosition('-- migrate:up\nselect 1;\nselec 2;\n', 25)).toEqual({ line: 3, column: 1 });
    expect(sectionPosition('-- migrate:up\r\nselect 1;\r\nselec 2;\r\n', 27)).toEqual({ line: 3, column: 1 });
    expect(sectionPosition('-- migrate:up\nselect \u{1F600}, x y;\n', 26)).toEqual({ line: 2, column: 12 }); // positions count characters
  });
});

describe('reading a dbmate folder', () => {
  it('lists the sample project in file-name order with each section as the FormatFile sql', async () => {
    const listing = await readDbmateSource(SAMPLE);
    expect(listing.dir).toBe(SAMPLE);
    expect(listing.problems).toEqual([]);
    expect(listing.ignored).toEqual(['README.md']);
    expect(listing.migrations.map((m) => [m.key, m.version, m.description, m.kind, m.up?.transaction, m.down?.transaction])).toEqual([
      ['20240110090000', '20240110090000', 'create_accounts', 'versioned', true, true],
      ['20240112143000', '20240112143000', 'create_projects', 'versioned', true, true],
      ['20240115080000', '20240115080000', 'index_project_names', 'versioned', false, false],
      ['20240120101500', '20240120101500', 'touch_updated_at', 'versioned', true, true],
      ['20240201120000', '20240201120000', 'seed_plans', 'versioned', true, true],
    ]);
    const index = listing.migrations[2]!;
    expect(index.up).toEqual({
      path: join(SAMPLE, '20240115080000_index_project_names.sql'),
      file: '20240115080000_index_project_names.sql',
      sql: '-- migrate:up transaction:false\ncreate index concurrently projects_name_lower_idx on projects (lower(name));\n\n',
      transaction: false,
    });
    expect(index.down?.sql).toBe('-- migrate:down transaction:false\ndrop index concurrently projects_name_lower_idx;\n');
    expect(listing.migrations[0]!.up!.sql.startsWith('-- migrate:up\ncreate table accounts')).toBe(true); // leading comments are not part of it
  });

  it('keeps versions as text, sorts 10_ before 9_, skips subfolders and lists what it ignores', async () => {
    const dir = dirOf({
      '9_nine.sql': VALID,
      '10_ten.sql': VALID,
      '001_a.sql': VALID,
      '1_b.sql': VALID,
      '5_sub.sql/': '',
      'a1.sql': VALID,
      '2_x.SQL': VALID,
      'notes.txt': '',
    });
    const listing = await readDbmateSource(dir);
    expect(listing.migrations.map((m) => m.key)).toEqual(['001', '10', '1', '9']);
    expect(listing.ignored).toEqual(['2_x.SQL', 'a1.sql', 'notes.txt']);
    expect(listing.problems).toEqual([]);
  });

  it('reports unparsable files as problems and still lists them, without SQL to run', async () => {
    const dir = dirOf({
      '1_ok.sql': VALID,
      '2_nodown.sql': '-- migrate:up\ncreate table t ();\n',
      '3_noup.sql': 'create table t ();\n',
      '4_bom.sql': `\uFEFF${VALID}`,
      '5_stmt.sql': `select 1;\n${VALID}`,
      '6_twodowns.sql': '-- migrate:up\n-- migrate:down\n-- migrate:down\n',
      '7_two_sections.sql': `${VALID}${VALID}`,
      '8_crlf.sql': VALID.replace(/\n/g, '\r\n'),
    });
    const listing = await readDbmateSource(dir);
    expect(listing.migrations.map((m) => [m.key, Boolean(m.up), Boolean(m.down)])).toEqual([
      ['1', true, true],
      ['2', false, false],
      ['3', false, false],
      ['4', false, false],
      ['5', false, false],
      ['6', false, false],
      ['7', false, false],
      ['8', true, true],
    ]);
    expect(listing.problems.map((p) => [p.kind, p.key])).toEqual([
      ['missing-down', '2'],
      ['unparsable', '3'],
      ['unparsable', '4'],
      ['unparsable', '5'],
      ['unparsable', '6'],
      ['unsupported', '7'],
    ]);
    expect(listing.problems[0]!.message).toBe("2_nodown.sql: dbmate requires each migration to define a down block with '-- migrate:down'");
    expect(listing.problems[2]!.message).toBe("4_bom.sql: dbmate requires each migration to define an up block with '-- migrate:up'");
    expect(listing.problems[3]!.message).toBe("5_stmt.sql: dbmate does not support statements preceding the '-- migrate:up' block");
    expect(listing.problems[5]!.message).toContain('7_two_sections.sql has 2');
    expect((listing.migrations[1] as DbmateMigration).dbmateError).toBe(PARSE_ERRORS['missing-down']);
    expect(listing.migrations[7]!.up!.sql).toBe('-- migrate:up\r\ncreate table t (id int);\r\n');
  });

  it('reports two files with one version as a duplicate and keeps the first', async () => {
    const listing = await readDbmateSource(dirOf({ '1_b.sql': VALID, '1.sql': VALID, '2_c.sql': VALID }));
    expect(listing.migrations.map((m) => (m as DbmateMigration).file)).toEqual(['1.sql', '2_c.sql']);
    expect(listing.problems).toEqual([{ kind: 'duplicate', key: '1', message: expect.stringContaining('1.sql, 1_b.sql') }]);
  });

  it('reports an unreadable file as a problem', async () => {
    if (process.getuid?.() === 0) return; // root reads anything
    const dir = dirOf({ '1_locked.sql': VALID });
    chmodSync(join(dir, '1_locked.sql'), 0o000);
    const listing = await readDbmateSource(dir);
    expect(listing.problems[0]).toMatchObject({ kind: 'unparsable', key: '1' });
  });

  it('fails with a LadderError only when the folder itself is missing', async () => {
    await expect(readDbmateSource('/nonexistent/db/migrations')).rejects.toBeInstanceOf(LadderError);
    await expect(readDbmateSource(join(SAMPLE, 'README.md'))).rejects.toThrow(/is a file/);
  });
});

describe('dbmate folder detection', () => {
  it('scores names alone up to 0.5, and up to 1 once -- migrate:up markers are read', async () => {
    expect(dbmateFormat.folderScore(['20240101120000_a.sql', '20240102120000_b.sql', 'README.md'])).toBe(0.5);
    expect(dbmateNameScore(['1_a.up.sql', '1_a.down.sql'])).toBe(0);
    expect(dbmateNameScore(['V1__init.sql', 'R__views.sql'])).toBe(0);
    expect(dbmateNameScore([])).toBe(0);
    expect(dbmateNameScore(['1_a.sql', '1_b.up.sql'])).toBe(0.25);
    expect(await dbmateFolderScore(SAMPLE)).toBe(1);
    // sqlx's simple migrations have dbmate-like names but no markers
    expect(await dbmateFolderScore(dirOf({ '20240101120000_init.sql': 'create table t ();\n' }))).toBe(0.5);
    expect(await dbmateFolderScore('/nonexistent')).toBe(0);
  });

  it('describes the module', () => {
    expect(dbmateFormat.name).toBe('dbmate');
    expect(dbmateFormat.defaultDir).toBe('./db/migrations');
    expect(dbmateFormat.tableName).toBe('schema_migrations');
  });
});
