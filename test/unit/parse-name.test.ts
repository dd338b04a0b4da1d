import { describe, expect, it } from 'vitest';
import { parseMigrationName } from '../../src/formats/golang-migrate/parse-name.js';

describe('golang-migrate file names', () => {
  it.each([
    ['000001_create_users.up.sql', '1', 'create_users', 'up', 'sql'],
    ['1_x.down.sql', '1', 'x', 'down', 'sql'],
    ['20240101120000_add orders.up.sql', '20240101120000', 'add orders', 'up', 'sql'],
    // greedy middle: the last .up./.down. decides the direction
    ['3_a.up.b.down.sql', '3', 'a.up.b', 'down', 'sql'],
    ['4_.up.sql', '4', '', 'up', 'sql'],
    ['5_name.up.tar.gz', '5', 'name', 'up', 'tar.gz'],
    ['6_name.up.', '6', 'name', 'up', ''],
    ['007_leading_zeros.down.psql', '7', 'leading_zeros', 'down', 'psql'],
    ['18446744073709551615_max.up.sql', '18446744073709551615', 'max', 'up', 'sql'],
    ['9_ünïcødé_名前.up.sql', '9', 'ünïcødé_名前', 'up', 'sql'],
  ])('%s', (file, version, name, direction, ext) => {
    expect(parseMigrationName(file)).toEqual({ version, name, direction, ext });
  });

  it.each([
    'README.md',
    'create_users.up.sql', // no version
    '1.up.sql', // no underscore
    '1_create.sql', // no direction
    '1_create.UP.sql', // case matters
    '-1_neg.up.sql',
    'v1_x.up.sql',
    '18446744073709551616_overflow.up.sql', // > uint64: ParseUint fails, file skipped
    '1_x.sideways.sql',
  ])('skips %s', (file) => {
    expect(parseMigrationName(file)).toBeNull();
  });
});
