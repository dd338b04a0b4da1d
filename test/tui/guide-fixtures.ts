import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const HALF_V1 = '20240101000001';
export const HALF_V2 = '20240101000002';

/**
 * A dbmate project whose second file runs without a transaction: its BEGIN … COMMIT block commits,
 * then line 5 fails, and the index after it never runs.
 */
export function halfCommittingDbmate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-tui-dbmate-'));
  writeFileSync(join(dir, `${HALF_V1}_accounts.sql`), ['-- migrate:up', 'CREATE TABLE accounts (id int PRIMARY KEY);', '', '-- migrate:down', 'DROP TABLE accounts;', ''].join('\n'));
  writeFileSync(
    join(dir, `${HALF_V2}_users.sql`),
    [
      '-- migrate:up transaction:false',
      'BEGIN;',
      'CREATE TABLE users (id int PRIMARY KEY);',
      'COMMIT;',
      'INSERT INTO no_such_table VALUES (1);',
      'CREATE INDEX users_id_idx ON users (id);',
      '',
      '-- migrate:down',
      'DROP TABLE IF EXISTS users;',
      '',
    ].join('\n'),
  );
  return dir;
}

