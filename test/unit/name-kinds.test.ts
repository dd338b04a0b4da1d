import { describe, expect, it } from 'vitest';
import { parseSqlxName, sqlxNameKind } from '../../src/formats/sqlx/parse-name.js';
import { parseMigrationName } from '../../src/formats/golang-migrate/parse-name.js';
import { compareNumeric } from '../../src/formats/types.js';

describe('fast paths agree with the full parsers', () => {
  const names = [
    '1_a.sql', '001_a.up.sql', '-5_neg.sql', '+7_plus.sql', 'x_a.sql', 'V1__x.sql', 'README.md', '1.sql', '1_a.SQL', '_a.sql',
    '9223372036854775807_max.sql', '9223372036854775808_over.sql', '-9223372036854775808_min.sql', '123456789012345678_a.sql', '1234567890123456789_a.sql',
  ];
  it.each(names)('sqlxNameKind(%s) is parseSqlxName(...).kind', (name) => {
    expect(sqlxNameKind(name)).toBe(parseSqlxName(name).kind);
  });
  it('golang-migrate versions are canonical decimal text, uint64 at most', () => {
    expect(parseMigrationName('0007_a.up.sql')?.version).toBe('7');
    expect(parseMigrationName('0_a.up.sql')?.version).toBe('0');
    expect(parseMigrationName('000_a.up.sql')?.version).toBe('0');
    expect(parseMigrationName('18446744073709551615_max.up.sql')?.version).toBe('18446744073709551615');
    expect(parseMigrationName('18446744073709551616_over.up.sql')).toBeNull();
    expect(parseMigrationName('000018446744073709551615_max.up.sql')?.version).toBe('18446744073709551615');
  });
  it('compareNumeric orders canonical versions as numbers, -1 first', () => {
    const sorted = ['10', '9', '-1', '100', '18446744073709551615', '0', '11'].sort(compareNumeric);
    expect(sorted).toEqual(['-1', '0', '9', '10', '11', '100', '18446744073709551615']);
  });
});

describe('name tests used by detection agree with the parsers', () => {
  const names = ['1_a.up.sql', '007_b.down.sql', '1_a.up.b.sql', '18446744073709551616_x.up.sql', '0018446744073709551615_x.up.sql', 'a_1.up.sql', '1_a.sql', '20240101_x.sql', 'V1__x.sql', '1.up.sql'];
  it.each(names)('%s', async (name) => {
    const { isMigrationName } = await import('../../src/formats/golang-migrate/parse-name.js');
    const { isDbmateFileName, parseFileName } = await import('../../src/formats/dbmate/parse.js');
    expect(isMigrationName(name)).toBe(parseMigrationName(name) !== null);
    expect(isDbmateFileName(name)).toBe(parseFileName(name) !== null);
  });
});
