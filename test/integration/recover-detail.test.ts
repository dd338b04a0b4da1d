import { afterEach, describe, expect, it } from 'vitest';
import { freshDatabase, query } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { startHarness, type Harness } from '../tui/helpers.js';

/** PostgreSQL's DETAIL and HINT are evidence (the missing key, the dependent objects): the journal keeps them for the guide. */
const FILES = {
  '1_users.up.sql': 'CREATE TABLE users (id int PRIMARY KEY);\nINSERT INTO users VALUES (1);\n',
  '1_users.down.sql': 'DROP TABLE users;\n',
  '2_orders.up.sql': 'CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));\nINSERT INTO orders VALUES (1, 42);\n',
  '2_orders.down.sql': 'DROP TABLE orders;\n',
};
const DETAIL = 'Key (user_id)=(42) is not present in table "users".';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a failure with a DETAIL', () => {
  it('is kept in the journal and shown by recover (text and --json); a journal made before those columns still reads', async () => {
    const url = await freshDatabase('rec_detail');
    const dir = migrationsDir(FILES);
    const up = await ladder(['-path', dir, '-database', url, 'up']);
    expect(up.code).toBe(1);
    expect(await query(url, "SELECT error, error_detail, sqlstate FROM ladder_journal WHERE outcome = 'failed'")).toEqual([
      { error: 'insert or update on table "orders" violates foreign key constraint "orders_user_id_fkey"', error_detail: DETAIL, sqlstate: '23503' },
    ]);

    // Without a terminal recover explains, then exits 1: nothing was chosen.
    const text = await ladder(['-path', dir, '-database', url, 'recover']);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^Not a terminal: run "ladder recover" on one to choose/);
    expect(text.stdout).toContain('  error: insert or update on table "orders" violates foreign key constraint "orders_user_id_fkey" at line 2:1 (SQLSTATE 23503)\n');
    expect(text.stdout).toContain(`  detail: ${DETAIL}\n`);
    const json = JSON.parse((await ladder(['-path', dir, '-database', url, 'recover', '--json'])).stdout);
    expect(json.candidates[0].error).toMatchObject({ line: 2, sqlstate: '23503', detail: DETAIL });

    // The TUI's guide at 80x24: the explanation quotes the message, the What-failed line the line and the DETAIL, uncut.
    h = await startHarness({ url, dir, cols: 80, rows: 24 });
    const f = await h.waitFor('What failed: line 2', 15_000);
    expect(f).toContain(`│What failed: line 2 · ${DETAIL}`);
    expect(f.replace(/\s*│\n│/g, ' ')).toContain('up 2 orders failed: insert or update on table "orders" violates foreign key constraint "orders_user_id_fkey".');
    await h.close();
    h = undefined;

    // A journal an older Ladder made has neither column: recover reads it, with no detail line.
    await query(url, 'ALTER TABLE ladder_journal DROP COLUMN error_detail, DROP COLUMN error_hint');
    const old = await ladder(['-path', dir, '-database', url, 'recover']);
    expect(old.code).toBe(1);
    expect(old.stdout).toContain('  error: insert or update on table "orders"');
    expect(old.stdout).not.toContain('detail:');
    expect(old.stderr).toBe(text.stderr);
  }, 30_000);
});
