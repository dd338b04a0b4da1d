import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AppliedMigration } from '../../src/formats/driver.js';
import {
  parseSqlxName,
  readSqlxSource,
  sqlxChecksum,
  sqlxFolderScore,
  sqlxFormat,
  sqlxInfoLines,
  sqlxLockId,
  sqlxNoTransaction,
  sqlxRevertPlan,
  sqlxRunPlan,
  sqlxSql,
  sqlxTracker,
  sqlxDirtyVersion,
  sqlxChecksumMismatches,
  SQLX_LOCK_SALT,
} from '../../src/formats/sqlx/index.js';
import { LadderError } from '../../src/errors.js';
import { migrationsDir } from '../helpers/cli.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/sqlx');
const C = 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n';


describe('sqlx file names (source.rs resolve_blocking, spec §2.1)', () => {
  it('parses the spec vectors', () => {
    expect(parseSqlxName('20240101120000_create_users.up.sql')).toEqual({
      kind: 'migration',
      version: 20240101120000n,
      type: 'reversible-up',
      description: 'create users',
    });
    expect(parseSqlxName('0001_init.sql')).toEqual({ kind: 'migration', version: 1n, type: 'simple', description: 'init' });
    expect(parseSqlxName('README_notes.sql')).toEqual({
      kind: 'error',
      message: 'error parsing migration filename "README_notes.sql"; expected integer version prefix (e.g. `01_foo.sql`)',
    });
  });
  it('splits at the first underscore and turns every other underscore into a space', () => {
    expect(parseSqlxName('7_add__two_spaces.sql')).toMatchObject({ version: 7n, description: 'add  two spaces' });
    expect(parseSqlxName('1_.sql')).toMatchObject({ version: 1n, description: '' });
  });
  it('trims the suffix repeatedly (trim_end_matches)', () => {
    expect(parseSqlxName('1_x.sql.sql')).toMatchObject({ type: 'simple', description: 'x' });
    expect(parseSqlxName('1_x.up.sql.up.sql')).toMatchObject({ type: 'reversible-up', description: 'x' });
  });
  it('types by suffix: .up.sql, then .down.sql, else simple', () => {
    expect(parseSqlxName('3_drop.down.sql')).toMatchObject({ type: 'reversible-down', description: 'drop' });
    expect(parseSqlxName('3_up.sql')).toMatchObject({ type: 'simple', description: 'up' });
  });
  it('parses the version as Rust i64::from_str (sign, leading zeros, range)', () => {
    expect(parseSqlxName('+5_a.sql')).toMatchObject({ version: 5n });
    expect(parseSqlxName('-3_a.sql')).toMatchObject({ version: -3n });
    expect(parseSqlxName('9223372036854775807_max.sql')).toMatchObject({ version: 9223372036854775807n });
    expect(parseSqlxName('9223372036854775808_over.sql').kind).toBe('error');
    expect(parseSqlxName('_x.sql').kind).toBe('error');
    expect(parseSqlxName('1 _x.sql').kind).toBe('error');
    expect(parseSqlxName('V1__x.sql')).toEqual({
      kind: 'error',
      message: 'error parsing migration filename "V1__x.sql"; expected integer version prefix (e.g. `01_foo.sql`)',
    });
  });
  it('skips names without "_" or whose rest does not end in ".sql" (case-sensitive)', () => {
    expect(parseSqlxName('README.md')).toEqual({ kind: 'skip' });
    expect(parseSqlxName('init.sql')).toEqual({ kind: 'skip' });
    expect(parseSqlxName('1_a.SQL')).toEqual({ kind: 'skip' });
    expect(parseSqlxName('notes_x.txt')).toEqual({ kind: 'skip' });
  });
  it('quotes the file name as Rust {:?} does in the error', () => {
    expect(parseSqlxName('a"b_c.sql')).toMatchObject({ message: expect.stringContaining('filename "a\\"b_c.sql";') });
  });
});

describe('sqlx -- no-transaction (byte-exact prefix at offset 0)', () => {
  it('matches only the exact prefix', () => {
    expect(sqlxNoTransaction('-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);')).toBe(true);
    expect(sqlxNoTransaction('-- no-transactionXYZ\nSELECT 1;')).toBe(true);
    expect(sqlxNoTransaction('\uFEFF-- no-transaction\n')).toBe(false);
    expect(sqlxNoTransaction('\n-- no-transaction\n')).toBe(false);
    expect(sqlxNoTransaction(' -- no-transaction\n')).toBe(false);
    expect(sqlxNoTransaction('-- No-Transaction\n')).toBe(false);
    expect(sqlxNoTransaction('--no-transaction\n')).toBe(false);
  });
});

describe('sqlx checksum = SHA-384 of the raw bytes (spec §4 vectors)', () => {
  it('matches the vectors', () => {
    expect(sqlxChecksum(C)).toBe('977b73527daf25060f0b5039a54d00b8c7932f286baf2d83531e5fa8e12264fd6a30a7ccf6460135d22c6fd9375645f8');
    expect(sqlxChecksum(C.replaceAll('\n', '\r\n'))).toBe(
      'c07d6b962cf86048c111b042804d8e6c8e44aded1e032eb2f8599869fbb5a35a90fad4d8c85cbc3beec11b098b587c94',
    );
    expect(sqlxChecksum(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(C)]))).toBe(
      '0912a803283773ea0655f1986ad1d86aa670fab64bd8f2105bf07be8946db4f7ea0a4e247b00ad1a5e8f23e222a3f985',
    );
    expect(sqlxChecksum('')).toBe('38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b');
  });
});

describe('sqlx advisory lock id (generate_lock_id, spec §2.10)', () => {
  it('is 0x3d32ad9e * crc32(current_database())', () => {
    expect(sqlxLockId('ladder_test')).toBe('2314606599059585876');
    expect(sqlxLockId('postgres')).toBe('368907709894077238');
  });
  it('cannot overflow i64: the largest product stays below 2^63', () => {
    expect(SQLX_LOCK_SALT).toBe(1026731422n);
    expect(SQLX_LOCK_SALT * 4294967295n).toBe(4409777878238843490n);
    expect(SQLX_LOCK_SALT * 4294967295n < 2n ** 63n).toBe(true);
  });
  it('is the tracker lock id; the CLI takes no lock of its own', () => {
    const t = sqlxTracker({ schema: 'public', databaseName: 'ladder_test' });
    expect(t.lockId).toBe('2314606599059585876');
    expect(t.toolLocks).toBe(false);
    expect(t.table).toBe('"public"."_sqlx_migrations"');
  });
  it('refuses another table name (sqlx 0.8 has no setting for it)', () => {
    expect(() => sqlxTracker({ schema: 'public', databaseName: 'd', table: 'my_migrations' })).toThrow(LadderError);
  });
});

describe('sqlx SQL texts (sqlx-postgres/src/migrate.rs, spec §2.3)', () => {
  it('creates the table with the exact text sqlx runs', () => {
    expect(sqlxSql.CREATE_TABLE_SQL).toBe(
      '\nCREATE TABLE IF NOT EXISTS _sqlx_migrations (\n    version BIGINT PRIMARY KEY,\n    description TEXT NOT NULL,\n    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),\n    success BOOLEAN NOT NULL,\n    checksum BYTEA NOT NULL,\n    execution_time BIGINT NOT NULL\n);\n' +
        ' '.repeat(16),
    );
  });
  it('inserts success TRUE with execution_time -1, then updates it', () => {
    expect(sqlxSql.INSERT_SQL).toBe(
      '\n    INSERT INTO _sqlx_migrations ( version, description, success, checksum, execution_time )\n    VALUES ( $1, $2, TRUE, $3, -1 )\n' + ' '.repeat(16),
    );
    expect(sqlxSql.UPDATE_EXECUTION_TIME_SQL).toBe('\n    UPDATE _sqlx_migrations\n    SET execution_time = $1\n    WHERE version = $2\n' + ' '.repeat(16));
    expect(sqlxSql.DELETE_SQL).toBe('DELETE FROM _sqlx_migrations WHERE version = $1');
  });
});

describe('reading a sqlx folder', () => {
  it('reads the sample project in version order, pairing up and down files', async () => {
    const listing = await readSqlxSource(FIXTURE);
    expect(listing.problems).toEqual([]);
    expect(listing.ignored).toEqual(['README.md']);
    expect(listing.migrations.map((m) => [m.key, m.description, m.up?.file, m.down?.file ?? null, m.up?.transaction, m.down?.transaction ?? null])).toEqual([
      ['20240101090000', 'create users', '20240101090000_create_users.sql', null, true, null],
      ['20240102090000', 'create posts', '20240102090000_create_posts.up.sql', '20240102090000_create_posts.down.sql', true, true],
      ['20240103090000', 'index posts published at', '20240103090000_index_posts_published_at.up.sql', '20240103090000_index_posts_published_at.down.sql', false, false],
      ['20240104090000', 'create comments', '20240104090000_create_comments.up.sql', '20240104090000_create_comments.down.sql', true, true],
      ['20240105090000', 'seed roles', '20240105090000_seed_roles.sql', null, true, null],
    ]);
    for (const m of listing.migrations) {
      const bytes = await readFile(m.up!.path);
      expect(m.checksum).toBe(createHash('sha384').update(bytes).digest('hex'));
      expect(m.up!.sql).toBe(bytes.toString('utf8'));
    }
    // The CRLF file keeps its CRs in the SQL and in the hash.
    const roles = listing.migrations[4]!;
    expect(roles.up!.sql).toContain('\r\n');
    expect(roles.checksum).not.toBe(sqlxChecksum(roles.up!.sql.replaceAll('\r\n', '\n')));
  });

  it('keeps a BOM in the SQL and the hash, and a BOM defeats -- no-transaction', async () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('-- no-transaction\nSELECT 1;\n')]);
    const listing = await readSqlxSource(migrationsDir({ '1_bom.sql': body }));
    const m = listing.migrations[0]!;
    expect(m.up!.sql.startsWith('\uFEFF')).toBe(true);
    expect(m.up!.transaction).toBe(true);
    expect(m.checksum).toBe(createHash('sha384').update(body).digest('hex'));
  });

  it('reports the names that make sqlx refuse the whole folder, and unreadable UTF-8', async () => {
    const dir = migrationsDir({ '1_a.sql': 'SELECT 1;', 'README_notes.sql': '', '2_bad.sql': Buffer.from([0xff, 0xfe]) });
    const listing = await readSqlxSource(dir);
    expect(listing.problems).toEqual([
      { kind: 'unparsable', key: '2', message: `error reading contents of migration ${join(dir, '2_bad.sql')}: stream did not contain valid UTF-8 (line 1, byte offset 0)` },
      { kind: 'unparsable', message: 'error parsing migration filename "README_notes.sql"; expected integer version prefix (e.g. `01_foo.sql`)' },
    ]);
    expect(sqlxRunPlan(listing, []).error).toContain('error reading contents of migration');
    expect(sqlxRunPlan(listing, []).apply).toEqual([]);
  });

  it('has no mixing rules: simple and reversible migrations live side by side', async () => {
    const listing = await readSqlxSource(migrationsDir({ '1_a.sql': 'SELECT 1;', '2_b.up.sql': 'SELECT 2;', '2_b.down.sql': 'SELECT 3;' }));
    expect(listing.problems).toEqual([]);
    expect(listing.migrations.map((m) => m.key)).toEqual(['1', '2']);
  });

  it('sorts numerically by i64 version, not by name', async () => {
    const listing = await readSqlxSource(migrationsDir({ '10_ten.sql': '', '9_nine.sql': '', '0002_two.sql': '', '-1_neg.sql': '' }));
    expect(listing.migrations.map((m) => m.key)).toEqual(['-1', '2', '9', '10']);
  });

  it('does not recurse into sub-folders', async () => {
    const listing = await readSqlxSource(migrationsDir({ '1_a.sql': '', 'nested/2_b.sql': '' }));
    expect(listing.migrations.map((m) => m.key)).toEqual(['1']);
  });

  it('reports duplicates, a lone down file and an up file without its down', async () => {
    const listing = await readSqlxSource(
      migrationsDir({ '1_a.sql': '', '1_b.sql': '', '2_x.down.sql': '', '3_y.up.sql': '' }),
    );
    expect(listing.migrations.map((m) => m.key)).toEqual(['1', '3']);
    expect(listing.migrations[0]!.up!.file).toBe('1_a.sql');
    expect(listing.problems.map((p) => [p.kind, p.key])).toEqual([
      ['duplicate', '1'],
      ['unsupported', '2'],
      ['missing-down', '3'],
    ]);
  });

  it('throws a LadderError for a missing folder', async () => {
    await expect(readSqlxSource('/nonexistent/ladder/migrations')).rejects.toThrow(LadderError);
  });
});

describe('sqlx folder score and module', () => {
  it('scores sqlx names up to 0.5, Flyway folders 0', () => {
    expect(sqlxFolderScore(['1_a.sql', '2_b.up.sql', '2_b.down.sql', 'README.md'])).toBe(0.5);
    expect(sqlxFolderScore(['V1__init.sql', 'V2__more.sql'])).toBe(0);
    expect(sqlxFolderScore(['1_a.sql', 'README_notes.sql'])).toBe(0);
    expect(sqlxFolderScore(['schema.sql', '1_a.sql'])).toBe(0.25);
    expect(sqlxFolderScore(['README.md'])).toBe(0);
  });
  it('describes the module', () => {
    expect(sqlxFormat.name).toBe('sqlx');
    expect(sqlxFormat.defaultDir).toBe('migrations');
    expect(sqlxFormat.tableName).toBe('_sqlx_migrations');
  });
});

describe('sqlx run / revert / info semantics (sqlx-cli/src/migrate.rs)', () => {
  const row = (key: string, checksum: string, success = true): AppliedMigration => ({ key, version: key, checksum, success });

  it('applies pending versions in order, including ones below the latest applied (no out-of-order check)', async () => {
    const listing = await readSqlxSource(migrationsDir({ '1_a.sql': 'A', '2_b.sql': 'B', '3_c.sql': 'C' }));
    const plan = sqlxRunPlan(listing, [row('3', sqlxChecksum('C'))]);
    expect(plan.apply.map((m) => m.key)).toEqual(['1', '2']);
    expect(plan.error).toBeUndefined();
  });

  it('applies lower pending migrations before failing on a modified one', async () => {
    const listing = await readSqlxSource(migrationsDir({ '1_a.sql': 'A', '2_b.sql': 'B', '3_c.sql': 'C' }));
    const plan = sqlxRunPlan(listing, [row('2', sqlxChecksum('B-edited'))]);
    expect(plan.apply.map((m) => m.key)).toEqual(['1']);
    expect(plan.error).toBe('migration 2 was previously applied but has been modified');
    expect(sqlxChecksumMismatches(listing.migrations, [row('2', sqlxChecksum('B-edited'))])).toEqual([
      { version: '2', applied: sqlxChecksum('B-edited'), local: sqlxChecksum('B') },
    ]);
  });

  it('checks dirty rows first, then missing files', async () => {
    const listing = await readSqlxSource(migrationsDir({ '1_a.sql': 'A' }));
    const rows = [row('1', sqlxChecksum('A')), row('5', 'x', false), row('4', 'y', false)];
    expect(sqlxDirtyVersion(rows)).toBe('4');
    expect(sqlxRunPlan(listing, rows).error).toBe('migration 4 is partially applied; fix and remove row from `_sqlx_migrations` table');
    expect(sqlxRunPlan(listing, [row('1', sqlxChecksum('A')), row('7', 'z')]).error).toBe(
      'migration 7 was previously applied but is missing in the resolved migrations',
    );
    expect(sqlxRunPlan(listing, [row('1', sqlxChecksum('A')), row('7', 'z')], { ignoreMissing: true }).error).toBeUndefined();
  });

  it('honours --target-version on run', async () => {
    const listing = await readSqlxSource(migrationsDir({ '1_a.sql': 'A', '2_b.sql': 'B', '3_c.sql': 'C' }));
    const plan = sqlxRunPlan(listing, [], { targetVersion: '2' });
    expect(plan.apply.map((m) => m.key)).toEqual(['1', '2']);
    expect(plan.skipped.map((m) => m.key)).toEqual(['3']);
    expect(sqlxRunPlan(listing, [], { targetVersion: '9' }).error).toBe('migration 9 is not present in the migration source');
    expect(sqlxRunPlan(listing, [row('3', sqlxChecksum('C'))], { targetVersion: '2' }).error).toBe(
      'migration 2 is older than the latest applied migration 3',
    );
  });

  it('reverts the highest applied version that has a .down.sql, passing over simple ones', async () => {
    const listing = await readSqlxSource(
      migrationsDir({ '1_a.up.sql': 'A', '1_a.down.sql': 'a', '2_b.up.sql': 'B', '2_b.down.sql': 'b', '3_c.sql': 'C' }),
    );
    const rows = [row('1', sqlxChecksum('A')), row('2', sqlxChecksum('B')), row('3', sqlxChecksum('C'))];
    expect(sqlxRevertPlan(listing, rows).revert.map((m) => m.key)).toEqual(['2']);
    expect(sqlxRevertPlan(listing, rows, { targetVersion: '0' }).revert.map((m) => m.key)).toEqual(['2', '1']);
    const toOne = sqlxRevertPlan(listing, rows, { targetVersion: '1' });
    expect(toOne.revert.map((m) => m.key)).toEqual(['2']);
    expect(toOne.skipped.map((m) => m.key)).toEqual(['1']);
    expect(sqlxRevertPlan(listing, rows.slice(0, 1), { targetVersion: '2' }).error).toBe('migration 2 is newer than the latest applied migration 1');
    expect(sqlxRevertPlan(listing, [row('3', sqlxChecksum('C'))]).revert).toEqual([]);
  });

  it('prints info lines as `sqlx migrate info` does (no colours)', async () => {
    const listing = await readSqlxSource(migrationsDir({ '1_first_one.sql': 'A', '2_b.up.sql': 'B', '2_b.down.sql': 'b', '3_c.sql': 'C' }));
    expect(sqlxInfoLines(listing, [row('1', sqlxChecksum('A')), row('2', sqlxChecksum('old'))])).toEqual([
      '1/installed first one',
      '2/installed (different checksum) b',
      `applied migration had checksum ${sqlxChecksum('old')}`,
      `local migration has checksum ${sqlxChecksum('B')}`,
      '3/pending c',
    ]);
  });
});
