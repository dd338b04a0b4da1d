import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { dbmate, HAVE_DBMATE } from '../fixtures/dbmate/dbmate-cli.js';
import { cliOn, stepLines } from './helpers.js';

const file = (table: string) => `-- migrate:up\nCREATE TABLE ${table} (id int);\n-- migrate:down\nDROP TABLE ${table};\n`;

describe('dbmate --strict / DBMATE_STRICT', () => {
  it.skipIf(!HAVE_DBMATE)("refuses an out-of-order pending migration with dbmate's own message, applying nothing; without it, applies it", async () => {
    const url = await freshDatabase('dbm_strict');
    const dir = migrationsDir({ '20240101000001_a.sql': file('a'), '20240101000003_c.sql': file('c') });
    const run = cliOn(dir, url);
    expect((await run(['-format', 'dbmate', 'up'])).code).toBe(0);
    writeFileSync(join(dir, '20240101000002_b.sql'), file('b'));

    const theirs = await dbmate(url, dir, ['migrate', '--strict']);
    expect(theirs.code).not.toBe(0);
    const message = 'migration `20240101000002` is out of order with already applied migrations, the version number has to be higher than the applied migration `20240101000003` in --strict mode';
    expect(theirs.stderr).toContain(message);

    for (const [args, env] of [
      [['--strict', 'up'], {}],
      [['up'], { DBMATE_STRICT: 'true' }],
    ] as [string[], Record<string, string>][]) {
      const r = await run(['-format', 'dbmate', ...args], { env });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`error: ${message}`);
    }
    expect(await query(url, "SELECT 1 FROM pg_tables WHERE tablename = 'b'")).toEqual([]);

    const lax = await run(['-format', 'dbmate', '--no-dump-schema', 'up'], { env: { DBMATE_STRICT: 'false' } });
    expect(lax.code).toBe(0);
    expect(stepLines(lax.stdout)).toEqual(['20240101000002/u b']);
  });

  it('DBMATE_STRICT that is not a boolean is a usage error', async () => {
    const url = await freshDatabase('dbm_strict_bad');
    const dir = migrationsDir({ '20240101000001_a.sql': file('a') });
    const r = await cliOn(dir, url)(['-format', 'dbmate', 'up'], { env: { DBMATE_STRICT: 'yes please' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('DBMATE_STRICT="yes please" is not a boolean');
    expect(await query(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).toEqual([]);
  });
});
