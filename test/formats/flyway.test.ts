import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import type { AppliedMigration } from '../../src/formats/driver.js';
import {
  analyzeFlywayScript,
  canonicalFlywayVersion,
  compareFlywayVersions,
  FLYWAY_LOCK_MAGIC,
  flywayChecksum,
  flywayFolderScore,
  flywayFormat,
  flywayInfo,
  flywayLockId,
  flywayPending,
  flywayDueRepeatables,
  flywaySql,
  flywayTracker,
  flywayValidate,
  isFlywayNonTransactional,
  javaStringHashCode,
  parseFlywayName,
  parseFlywayVersion,
  readFlywaySource,
} from '../../src/formats/flyway/index.js';
import { LadderError } from '../../src/errors.js';
import { migrationsDir } from '../helpers/cli.js';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/flyway');
const C = 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);\n';


describe('Flyway file names (ResourceNameParser, spec §3.1 and §4)', () => {
  it('parses the spec vectors', () => {
    expect(parseFlywayName('V1_1__Add_users.sql')).toMatchObject({ kind: 'versioned', version: { display: '1.1' }, description: 'Add users' });
    expect(parseFlywayName('V1.sql')).toMatchObject({ kind: 'versioned', version: { display: '1' }, description: '' });
    expect(parseFlywayName('R__refresh_views.sql')).toEqual({ kind: 'repeatable', prefix: 'R', description: 'refresh views' });
  });
  it('splits at the first "__" and replaces every "_" in the description', () => {
    expect(parseFlywayName('V1__add__users.sql')).toMatchObject({ description: 'add  users' });
    expect(parseFlywayName('V2024_01_15__x.sql')).toMatchObject({ version: { display: '2024.01.15' } });
  });
  it('keeps leading zeros and trailing .0 in the stored text', () => {
    expect(parseFlywayName('V01__a.sql')).toMatchObject({ version: { display: '01' } });
    expect(parseFlywayName('V1.0__b.sql')).toMatchObject({ version: { display: '1.0' } });
  });
  it('prefix is case-sensitive, suffix case-insensitive', () => {
    expect(parseFlywayName('v1__x.sql').kind).toBe('other');
    expect(parseFlywayName('V1__x.SQL')).toMatchObject({ kind: 'versioned', description: 'x' });
    expect(parseFlywayName('V1__x.txt').kind).toBe('other');
  });
  it('marks invalid names, which Flyway skips silently', () => {
    expect(parseFlywayName('V__x.sql')).toMatchObject({ kind: 'invalid' });
    expect(parseFlywayName('R1__x.sql')).toMatchObject({ kind: 'invalid' });
    expect(parseFlywayName('Vabc__x.sql')).toEqual({
      kind: 'invalid',
      message: 'Invalid versioned migration name format: Vabc__x.sql (could not recognise version number abc)',
    });
    expect(parseFlywayName('V1..2__x.sql')).toMatchObject({ kind: 'invalid' });
    expect(parseFlywayName('R.sql').kind).toBe('other');
  });
  it('recognises U (undo, Teams), B (baseline) and callbacks', () => {
    expect(parseFlywayName('U3__drop_index.sql')).toMatchObject({ kind: 'undo', version: { display: '3' }, description: 'drop index' });
    expect(parseFlywayName('B5__baseline.sql')).toMatchObject({ kind: 'baseline' });
    expect(parseFlywayName('beforeMigrate.sql')).toMatchObject({ kind: 'callback', event: 'beforeMigrate' });
    expect(parseFlywayName('afterEachMigrate__log.sql')).toMatchObject({ kind: 'callback', event: 'afterEachMigrate', description: 'log' });
  });
});

describe('Flyway versions (MigrationVersion, spec §3.3)', () => {
  it('compares numerically, part by part, with trailing zeros dropped', () => {
    expect(compareFlywayVersions('1.9', '1.10')).toBe(-1);
    expect(compareFlywayVersions('1.10', '1.9')).toBe(1);
    expect(compareFlywayVersions('1', '1.0')).toBe(0);
    expect(compareFlywayVersions('1.00', '1')).toBe(0);
    expect(compareFlywayVersions('01', '1')).toBe(0);
    expect(compareFlywayVersions('2', '1.999')).toBe(1);
    expect(compareFlywayVersions('1.0.1', '1')).toBe(1);
    expect(compareFlywayVersions('20240101120000', '99999999999999999999')).toBe(-1);
  });
  it('normalises _ to . and drops trailing zero parts', () => {
    expect(parseFlywayVersion('1_1')).toEqual({ display: '1.1', parts: [1n, 1n] });
    expect(parseFlywayVersion('1.0.0')).toEqual({ display: '1.0.0', parts: [1n] });
    expect(parseFlywayVersion('0')).toEqual({ display: '0', parts: [0n] });
    expect(canonicalFlywayVersion('01.10.0')).toBe('1.10');
  });
  it('rejects other characters with Flyway\'s message', () => {
    expect(() => parseFlywayVersion('1.a')).toThrow('Version may only contain 0..9 and . (dot). Invalid version: 1.a');
    expect(() => parseFlywayVersion('1.2b')).toThrow(LadderError);
  });
});

describe('Flyway checksum (ChecksumCalculator, spec §3.4 and §4)', () => {
  it('matches the vectors, whatever the line endings, BOM and blank lines', () => {
    expect(flywayChecksum(C)).toBe(169406234);
    expect(flywayChecksum(C.replaceAll('\n', '\r\n'))).toBe(169406234);
    expect(flywayChecksum('\uFEFF' + C)).toBe(169406234);
    expect(flywayChecksum(C.slice(0, -1))).toBe(169406234);
    expect(flywayChecksum(C.replaceAll('\n', '\n\n\n'))).toBe(169406234);
    expect(flywayChecksum(C.replaceAll('\n', '\r'))).toBe(169406234);
    expect(flywayChecksum('')).toBe(0);
  });
  it('is sensitive to other whitespace and to a BOM after the start', () => {
    expect(flywayChecksum(C.replace(';\n', '; \n'))).not.toBe(169406234);
    expect(flywayChecksum('\n\uFEFF' + C)).not.toBe(169406234);
  });
  it('is a signed int32', () => {
    expect(crc32(Buffer.from('a'))).toBe(0xe8b7be43);
    expect(flywayChecksum('a')).toBe(-390611389);
  });
});

describe('Flyway advisory lock (spec §3.8 and §4)', () => {
  it('uses LOCK_MAGIC_NUM + String.hashCode of the quoted table name', () => {
    expect(FLYWAY_LOCK_MAGIC).toBe(0x466c79776179n);
    expect(FLYWAY_LOCK_MAGIC).toBe(77431708279161n);
    expect(javaStringHashCode('"public"."flyway_schema_history"')).toBe(2125624436);
    expect(flywayLockId('"public"."flyway_schema_history"')).toBe('77433833903597');
    expect(flywayLockId('"ladder"."flyway_schema_history"')).toBe('77432247318100');
    expect(javaStringHashCode('"ladder_test"."flyway_schema_history"')).toBe(-1802331502);
    expect(flywayLockId('"ladder_test"."flyway_schema_history"')).toBe('77429905947659');
    expect(flywayLockId('"app"."flyway_schema_history"')).toBe('77431436970681');
  });
  it('is the tracker\'s lock, which Flyway itself takes', () => {
    const t = flywayTracker({ schema: 'public', databaseName: 'whatever' });
    expect(t.table).toBe('"public"."flyway_schema_history"');
    expect(t.lockId).toBe('77433833903597');
    expect(t.toolLocks).toBe(true);
    expect(flywayTracker({ schema: 'app', databaseName: 'x', table: 'history' }).table).toBe('"app"."history"');
    expect(flywayTracker({ schema: 'we"ird', databaseName: 'x' }).table).toBe('"we""ird"."flyway_schema_history"');
  });
});

describe('Flyway SQL texts (PostgreSQLDatabase, spec §3.5-3.6)', () => {
  it('creates the history table, its primary key and index exactly', () => {
    expect(flywaySql.createTableSql('"public"."flyway_schema_history"', 'flyway_schema_history')).toBe(
      [
        'CREATE TABLE "public"."flyway_schema_history" (',
        '    "installed_rank" INT NOT NULL,',
        '    "version" VARCHAR(50),',
        '    "description" VARCHAR(200) NOT NULL,',
        '    "type" VARCHAR(20) NOT NULL,',
        '    "script" VARCHAR(1000) NOT NULL,',
        '    "checksum" INTEGER,',
        '    "installed_by" VARCHAR(100) NOT NULL,',
        '    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),',
        '    "execution_time" INTEGER NOT NULL,',
        '    "success" BOOLEAN NOT NULL',
        ');',
        'ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");',
        'CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");',
      ].join('\n'),
    );
  });
  it('inserts the nine columns Flyway writes and reads by installed_rank', () => {
    expect(flywaySql.insertSql('"public"."flyway_schema_history"')).toBe(
      'INSERT INTO "public"."flyway_schema_history" ("installed_rank", "version", "description", "type", "script", "checksum", "installed_by", "execution_time", "success") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
    );
    expect(flywaySql.selectSql('"public"."flyway_schema_history"')).toBe(
      '/*NO LOAD BALANCE*/\nSELECT "installed_rank","version","description","type","script","checksum","installed_on","installed_by","execution_time","success" FROM "public"."flyway_schema_history" WHERE "installed_rank" > $1 ORDER BY "installed_rank"',
    );
  });
  it('cuts description to 200 and script to 1000 characters as AbbreviationUtils does', () => {
    expect(flywaySql.abbreviateDescription('d'.repeat(200))).toBe('d'.repeat(200));
    expect(flywaySql.abbreviateDescription('abc' + 'd'.repeat(300))).toBe('abc' + 'd'.repeat(194) + '...');
    expect(flywaySql.abbreviateScript('abcdef' + 'x'.repeat(1000))).toBe('...def' + 'x'.repeat(994));
  });
});

describe('Flyway non-transactional statements (PostgreSQLParser, spec §3.7)', () => {
  it('matches Flyway\'s patterns on the leading keywords', () => {
    for (const s of [
      'CREATE INDEX CONCURRENTLY i ON t (a)',
      'create unique index concurrently i on t (a)',
      'DROP INDEX CONCURRENTLY i',
      '/* c */ VACUUM (ANALYZE) t',
      'CREATE DATABASE x',
      'DROP TABLESPACE x',
      'ALTER SYSTEM SET work_mem = 1',
      'REINDEX (VERBOSE) DATABASE x',
      'REINDEX SCHEMA public',
      'DISCARD ALL',
    ])
      expect(isFlywayNonTransactional(s), s).toBe(true);
    for (const s of ['CREATE INDEX i ON t (a)', 'REINDEX TABLE CONCURRENTLY t', "SELECT 'VACUUM'", 'ALTER TYPE mood ADD VALUE \'x\'', 'CREATE TABLE vacuum (id int)'])
      expect(isFlywayNonTransactional(s), s).toBe(false);
  });
  it('refuses scripts mixing both, with Flyway\'s message', async () => {
    const s = await analyzeFlywayScript('CREATE TABLE t (id int);\n\nCREATE INDEX CONCURRENTLY i ON t (id);\n');
    expect(s.unsupported).toBe(
      'Detected both transactional and non-transactional statements within the same migration (even though mixed is false). Offending statement found at line 3: CREATE INDEX CONCURRENTLY i ON t (id) [non-transactional]',
    );
  });
  it('runs an all-non-transactional script statement by statement', async () => {
    const s = await analyzeFlywayScript('\uFEFFCREATE INDEX CONCURRENTLY a ON t (x);\nDROP INDEX CONCURRENTLY b;\n');
    expect(s).toEqual({ sql: 'CREATE INDEX CONCURRENTLY a ON t (x);\nDROP INDEX CONCURRENTLY b;\n', transaction: false, statements: ['CREATE INDEX CONCURRENTLY a ON t (x)', 'DROP INDEX CONCURRENTLY b'] });
  });
  it('reports ${} placeholders and COPY FROM STDIN as unsupported', async () => {
    expect((await analyzeFlywayScript('GRANT SELECT ON t TO ${app_user};', 'V1__x.sql')).unsupported).toMatch(/^V1__x.sql uses the placeholder \$\{app_user\}/);
    expect((await analyzeFlywayScript('COPY t (a) FROM STDIN;\n1\n\\.\n')).unsupported).toContain('COPY … FROM STDIN');
    expect((await analyzeFlywayScript('SELECT 1;')).unsupported).toBeUndefined();
  });
});

describe('reading a Flyway location', () => {
  it('reads the sample project: versioned by version, then repeatables; scripts relative; U paired', async () => {
    const listing = await readFlywaySource(FIXTURE);
    expect(listing.problems).toEqual([]);
    expect(listing.ignored).toEqual(['README.md']);
    expect(
      listing.migrations.map((m) => [m.key, m.version, m.description, m.kind, m.script, m.down?.file ?? null, m.up.transaction]),
    ).toEqual([
      ['1', '1', 'create accounts', 'versioned', 'V1__create_accounts.sql', null, true],
      ['1.1', '1.1', 'add account email', 'versioned', 'V1_1__add_account_email.sql', null, true],
      ['2', '2', 'create orders', 'versioned', 'V2__create_orders.sql', null, true],
      ['3', '3', 'index orders by account', 'versioned', 'sub/V3__index_orders_by_account.sql', 'sub/U3__index_orders_by_account.sql', false],
      ['R__account summary view', null, 'account summary view', 'repeatable', 'R__account_summary_view.sql', null, true],
    ]);
    for (const m of listing.migrations) expect(m.checksum).toBe(String(flywayChecksum(m.up.sql)));
  });

  it('reports duplicate versions (1 == 1.0) with Flyway\'s message', async () => {
    const dir = migrationsDir({ 'V1__a.sql': '', 'V1.0__b.sql': '' });
    const listing = await readFlywaySource(dir);
    expect(listing.problems).toEqual([
      {
        kind: 'duplicate',
        key: '1',
        message: `Found more than one migration with version 1.0\nOffenders:\n-> ${join(dir, 'V1.0__b.sql')} (SQL)\n-> ${join(dir, 'V1__a.sql')} (SQL)`,
      },
    ]);
  });

  it('reports what Ladder cannot run as Flyway would', async () => {
    const dir = migrationsDir({
      'V1__grant.sql': 'GRANT SELECT ON t TO ${reader};',
      'beforeMigrate.sql': 'SELECT 1;',
      'B2__base.sql': 'SELECT 1;',
      'V3__x.sql': 'SELECT 1;',
      'V3__x.sql.conf': 'executeInTransaction=false',
      'U9__orphan.sql': 'SELECT 1;',
      'V4__bad.sql': Buffer.from([0xc3, 0x28]),
    });
    const listing = await readFlywaySource(dir);
    expect(listing.migrations.map((m) => m.key)).toEqual(['1', '3']);
    expect(listing.problems.map((p) => [p.kind, p.key ?? null])).toEqual([
      ['unsupported', null], // B2
      ['unsupported', null], // V3 .sql.conf
      ['unparsable', null], // V4 not UTF-8
      ['unsupported', null], // beforeMigrate callback
      ['unsupported', '1'], // placeholder
      ['unsupported', '9'], // U without V
    ]);
    expect(listing.problems[2]!.message).toMatch(
      /^Unable to calculate checksum of V4__bad.sql\nPlease ensure you have configured the correct file encoding with 'flyway.encoding' or enable 'flyway.detectEncoding' to let Flyway detect it for you\n\(Ladder: not valid UTF-8 \(line \d+, byte offset \d+\)\)$/,
    );
  });

  it('scans sub-folders but skips hidden ones; invalid names are ignored silently', async () => {
    const listing = await readFlywaySource(
      migrationsDir({ 'a/b/V2__deep.sql': '', '.hidden/V3__no.sql': '', 'V__bad.sql': '', 'R1__bad.sql': '', 'notes.txt': '' }),
    );
    expect(listing.migrations.map((m) => m.script)).toEqual(['a/b/V2__deep.sql']);
    expect(listing.ignored.sort()).toEqual(['R1__bad.sql', 'V__bad.sql', 'notes.txt']);
  });

  it('orders repeatables by description (Java String.compareTo)', async () => {
    const listing = await readFlywaySource(migrationsDir({ 'R__b.sql': '', 'R__B.sql': '', 'R__a.sql': '', 'V10__x.sql': '', 'V9__y.sql': '' }));
    expect(listing.migrations.map((m) => m.key)).toEqual(['9', '10', 'R__B', 'R__a', 'R__b']);
  });

  it('throws a LadderError for a missing location', async () => {
    await expect(readFlywaySource('/nonexistent/db/migration')).rejects.toThrow(LadderError);
  });
});

describe('Flyway folder score and module', () => {
  it('scores Flyway names up to 1, sqlx names 0', () => {
    expect(flywayFolderScore(['V1__a.sql', 'R__v.sql', 'U1__a.sql'])).toBe(1);
    expect(flywayFolderScore(['V1__a.sql', 'seed.sql'])).toBe(0.5);
    expect(flywayFolderScore(['1_a.sql', '2_b.up.sql'])).toBe(0);
    expect(flywayFolderScore([])).toBe(0);
  });
  it('describes the module', () => {
    expect(flywayFormat.name).toBe('flyway');
    expect(flywayFormat.defaultDir).toBe('db/migration');
    expect(flywayFormat.tableName).toBe('flyway_schema_history');
  });
});

describe('flyway info states (spec §3.9)', () => {
  let rank = 0;
  const row = (version: string | null, description: string, checksum: number | null, extra: Partial<AppliedMigration> = {}): AppliedMigration => ({
    key: version ?? `R__${description}`,
    version,
    description,
    ...(checksum !== null ? { checksum: String(checksum) } : {}),
    success: true,
    installedRank: ++rank,
    type: 'SQL',
    script: version ? `V${version}__${description}.sql` : `R__${description}.sql`,
    ...extra,
  });
  const files = async (f: Record<string, string>) => (await readFlywaySource(migrationsDir(f))).migrations;
  const cs = (s: string) => flywayChecksum(s);

  it('Success, Pending, and the migrate order (versioned, then repeatables)', async () => {
    rank = 0;
    const ms = await files({ 'V1__a.sql': 'A', 'V2__b.sql': 'B', 'R__v.sql': 'V', 'V1_5__c.sql': 'C' });
    const info = flywayInfo(ms, [row('1', 'a', cs('A'))]);
    expect(info.map((e) => [e.key, e.category, e.state])).toEqual([
      ['1', 'Versioned', 'Success'],
      ['1.5', 'Versioned', 'Pending'],
      ['2', 'Versioned', 'Pending'],
      ['R__v', 'Repeatable', 'Pending'],
    ]);
    expect(flywayPending(info).map((m) => m.key)).toEqual(['1.5', '2', 'R__v']);
  });

  it('Ignored below the current version unless outOfOrder; Out of Order once applied', async () => {
    rank = 0;
    const ms = await files({ 'V1__a.sql': 'A', 'V2__b.sql': 'B', 'V3__c.sql': 'C' });
    const rows = [row('1', 'a', cs('A')), row('3', 'c', cs('C'))];
    expect(flywayInfo(ms, rows).map((e) => e.state)).toEqual(['Success', 'Success', 'Ignored']);
    expect(flywayInfo(ms, rows, { outOfOrder: true }).map((e) => e.state)).toEqual(['Success', 'Success', 'Pending']);
    const after = [...rows, row('2', 'b', cs('B'))];
    expect(flywayInfo(ms, after).map((e) => [e.key, e.state])).toEqual([
      ['1', 'Success'],
      ['3', 'Success'],
      ['2', 'Out of Order'],
    ]);
    expect(flywayValidate(flywayInfo(ms, rows), { pendingIgnored: true })).toEqual([
      "Detected resolved migration not applied to database: 2.\nTo ignore this migration, set -ignoreMigrationPatterns='*:ignored'. To allow executing this migration, set -outOfOrder=true.",
    ]);
  });

  it('Failed, Missing, Future, Failed (Future) and Baseline', async () => {
    rank = 0;
    const ms = await files({ 'V2__b.sql': 'B', 'V3__c.sql': 'C' });
    const rows = [
      row('1', '<< Flyway Baseline >>', null, { type: 'BASELINE', script: '<< Flyway Baseline >>' }),
      row('1.5', 'gone', 5),
      row('2', 'b', cs('B')),
      row('3', 'c', cs('C'), { success: false }),
      row('4', 'newer', 7),
      row('5', 'newer failed', 8, { success: false }),
    ];
    expect(flywayInfo(ms, rows).map((e) => [e.key, e.category, e.state])).toEqual([
      ['1', '', 'Baseline'],
      ['1.5', 'Versioned', 'Missing'],
      ['2', 'Versioned', 'Success'],
      ['3', 'Versioned', 'Failed'],
      ['4', 'Versioned', 'Future'],
      ['5', 'Versioned', 'Failed (Future)'],
    ]);
    expect(flywayValidate(flywayInfo(ms, rows), { pendingIgnored: true })).toEqual([
      'Detected applied migration not resolved locally: 1.5.\nIf you removed this migration intentionally, run repair to mark the migration as deleted.',
      'Detected failed migration to version 3 (c).\nPlease remove any half-completed changes then run repair to fix the schema history.',
    ]);
  });

  it('repeatables: Outdated + Pending when the file changed, Superseded for older runs', async () => {
    rank = 0;
    const ms = await files({ 'R__v.sql': 'V2', 'R__w.sql': 'W' });
    const rows = [row(null, 'v', cs('V0')), row(null, 'v', cs('V1')), row(null, 'w', cs('W'))];
    const info = flywayInfo(ms, rows);
    expect(info.map((e) => [e.key, e.installedRank ?? null, e.state])).toEqual([
      ['R__v', 1, 'Superseded'],
      ['R__v', 2, 'Outdated'],
      ['R__w', 3, 'Success'],
      ['R__v', null, 'Pending'],
    ]);
    expect(flywayDueRepeatables(info).map((m) => m.key)).toEqual(['R__v']);
    expect(flywayValidate(info)).toEqual([
      'Detected outdated resolved repeatable migration that should be re-applied to database: v.\nRun migrate to execute this migration.',
      'Detected resolved repeatable migration not applied to database: v.\nTo fix this error, either run migrate, or set -ignoreMigrationPatterns=\'*:pending\'.',
    ]);
  });

  it('DELETE rows mark the latest row Deleted and make the file pending again', async () => {
    rank = 0;
    const ms = await files({ 'V1__a.sql': 'A', 'V2__b.sql': 'B' });
    const rows = [row('1', 'a', cs('A')), row('2', 'b', cs('B')), row('2', 'b', cs('B'), { type: 'DELETE', executionTimeMs: 0 })];
    expect(flywayInfo(ms, rows).map((e) => [e.key, e.type, e.state])).toEqual([
      ['1', 'SQL', 'Success'],
      ['2', 'SQL', 'Deleted'],
      ['2', 'SQL', 'Pending'],
    ]);
    const twice = [...rows, row('2', 'b', cs('B'), { type: 'DELETE' })];
    expect(() => flywayInfo(ms, twice)).toThrow('Corrupted schema history: multiple delete entries for version 2');
  });

  it('checksum mismatch with Flyway\'s message; the version as stored is matched numerically', async () => {
    rank = 0;
    const ms = await files({ 'V1.0__a.sql': 'A edited' });
    const info = flywayInfo(ms, [row('1', 'a', cs('A'))]);
    expect(info.map((e) => [e.key, e.state])).toEqual([['1', 'Success']]);
    expect(flywayValidate(info, { pendingIgnored: true })).toEqual([
      `Migration checksum mismatch for migration version 1\n-> Applied to database : ${cs('A')}\n-> Resolved locally    : ${cs('A edited')}\nEither revert the changes to the migration, or run repair to update the schema history.`,
    ]);
  });

  it('an empty history: versioned rows without files are Future; with no rows everything is Pending', async () => {
    rank = 0;
    expect(flywayInfo([], [row('1', 'x', 1)]).map((e) => e.state)).toEqual(['Future']);
    const ms = await files({ 'V1__a.sql': 'A' });
    expect(flywayInfo(ms, []).map((e) => e.state)).toEqual(['Pending']);
  });

  it('a SCHEMA marker row is Success and uncategorised', async () => {
    rank = -1;
    const rows = [row(null, '<< Flyway Schema Creation >>', null, { type: 'SCHEMA', script: '"app"' })];
    expect(flywayInfo([], rows).map((e) => [e.key, e.category, e.state, e.installedRank])).toEqual([['SCHEMA', '', 'Success', 0]]);
  });
});
