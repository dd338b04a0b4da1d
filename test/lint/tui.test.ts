import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { freshDatabase, query, withClient } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { startHarness, type Harness } from '../tui/helpers.js';

const BASE = readFileSync(join(import.meta.dirname, '../fixtures/lint/base.sql'), 'utf8');
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('TUI plan: findings above the steps, marked on their step; an error makes the confirmation the typed version', async () => {
  const url = await freshDatabase('lint_tui');
  await withClient(url, (c) => c.query(BASE));
  const dir = migrationsDir({
    '1_status_idx.up.sql': 'CREATE INDEX orders_status_idx ON orders (status);\n',
    '1_status_idx.down.sql': 'DROP INDEX orders_status_idx;\n',
    '2_drop_shipments.up.sql': "SET lock_timeout = '5s';\nDROP TABLE shipments;\n",
    '2_drop_shipments.down.sql': 'CREATE TABLE shipments (id bigint PRIMARY KEY);\n',
  });
  h = await startHarness({ url, dir, cols: 120, rows: 40 });
  await h.waitFor('status_idx');

  // A warning only: the plan shows it, marks the step, and still asks y/N.
  h.press('u');
  let f = await h.waitFor('[y/N]');
  expect(f).toContain('Lint: 0 error(s), 1 warning(s), 0 info');
  expect(f).toContain('⚠ warning [index-not-concurrent] step 1,');
  expect(f).toContain('1_status_idx.up.sql:1:1');
  expect(f).toMatch(/1\. up 1 status_idx .*⚠ 1 warning/);
  expect(f.indexOf('Lint:')).toBeLessThan(f.indexOf('1. up 1 status_idx'));
  h.press('y');
  await h.waitState((s) => s.mode === 'normal' && s.db.state?.version === '1');

  // An error (DROP TABLE of a table with rows): y does nothing, the version typed runs it.
  h.press('u');
  f = await h.waitFor('Type 2 to run it anyway');
  expect(f).toContain('✗ error [drop-data] step 1,');
  expect(f).toMatch(/1\. up 2 drop_shipments .*✗ 1 error/);
  expect(f).not.toContain('[y/N]');
  h.press('y');
  h.press('\r');
  f = await h.waitFor('that is not "2"');
  expect(await query(url, `SELECT to_regclass('public.shipments')::text AS t`)).toEqual([{ t: 'shipments' }]);
  h.press('\u007f');
  h.press('2');
  h.press('\r');
  await h.waitState((s) => s.mode === 'normal' && s.db.state?.version === '2');
  expect(await query(url, `SELECT to_regclass('public.shipments')::text AS t`)).toEqual([{ t: null }]);
});
