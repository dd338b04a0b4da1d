import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { freshDatabase, query, withClient } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/lint');
const BASE = readFileSync(join(FIXTURES, 'base.sql'), 'utf8');
let url: string;

interface JsonFinding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  message: string;
  fix: string;
}

/** In process: the findings are the subject; the tests of exit codes and the plan hook below spawn the binary. */
async function lintJson(args: string[], cwd = FIXTURES) {
  const r = await ladderLocal(['-database', url, ...args, '--json'], { cwd });
  return { code: r.code, stderr: r.stderr, findings: (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings };
}

const brief = (fs: JsonFinding[]) => fs.map((f) => [f.rule, f.severity, f.file, f.line]);

beforeAll(async () => {
  url = await freshDatabase('lint_cli');
  await withClient(url, (c) => c.query(BASE));
});

describe('ladder lint asks each tool how it runs a file (CONCURRENTLY fails in a transaction or a multi-statement query)', () => {
  test('golang-migrate: one multi-statement query fails, a file with the statement alone does not', async () => {
    const r = await lintJson(['-path', 'formats/golang-migrate', 'lint', '--all']);
    expect(brief(r.findings)).toEqual([
      ['concurrently-in-transaction', 'error', 'formats/golang-migrate/000001_status_idx.up.sql', 2],
      ['missing-down', 'info', 'formats/golang-migrate/000002_customer_idx.up.sql', 1],
    ]);
    expect(r.code).toBe(1);
    const f = r.findings[0]!;
    expect(Object.keys(f).slice(0, 7)).toEqual(['rule', 'severity', 'file', 'line', 'column', 'message', 'fix']);
  });

  test('dbmate: the transaction wraps the up; lines are numbered in the whole file, the down section included', async () => {
    const r = await lintJson(['-path', 'formats/dbmate', '-format', 'dbmate', 'lint', '--all']);
    expect(brief(r.findings)).toEqual([
      ['concurrently-in-transaction', 'error', 'formats/dbmate/20240101000000_status_idx.sql', 2],
      // The down drops a column its up never added, and leaves the index the up creates.
      ['down-does-not-reverse', 'warning', 'formats/dbmate/20240101000000_status_idx.sql', 2],
      ['down-does-not-reverse', 'warning', 'formats/dbmate/20240101000000_status_idx.sql', 5],
      ['drop-data', 'error', 'formats/dbmate/20240101000000_status_idx.sql', 5],
      ['lock-timeout', 'warning', 'formats/dbmate/20240101000000_status_idx.sql', 5],
    ]);
    expect(r.findings[0]!.message).toContain('the tool runs this file in a transaction');
    expect(r.findings.find((f) => f.rule === 'drop-data')!.message).toContain('orders has about 5000 rows');
  });

  test('sqlx: in a transaction, or two statements after -- no-transaction, fail; alone after -- no-transaction passes', async () => {
    const r = await lintJson(['-path', 'formats/sqlx', '-format', 'sqlx', 'lint', '--all']);
    expect(brief(r.findings)).toEqual([
      ['concurrently-in-transaction', 'error', 'formats/sqlx/20240101000000_status_idx.up.sql', 3],
      ['concurrently-in-transaction', 'error', 'formats/sqlx/20240103000000_amount_idx.up.sql', 1],
    ]);
  });

  test('Flyway: statements one by one, but a script mixing in a transactional one runs in a transaction', async () => {
    const r = await lintJson(['-path', 'formats/flyway', '-format', 'flyway', 'lint']);
    expect(brief(r.findings).filter((f) => f[0] !== 'missing-down')).toEqual([['concurrently-in-transaction', 'error', 'formats/flyway/V1__status_idx.sql', 2]]);
  });
});

describe('selection, exit codes, the plan hook', () => {
  test('lint V names migrations; an unknown one is an error that changes nothing', async () => {
    const ok = await lintJson(['-path', 'formats/golang-migrate', 'lint', '2']);
    expect([ok.code, brief(ok.findings)]).toEqual([0, [['missing-down', 'info', 'formats/golang-migrate/000002_customer_idx.up.sql', 1]]]);
    const bad = await ladder(['-database', url, '-path', 'formats/golang-migrate', 'lint', '9'], { cwd: FIXTURES });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: No migration 9 in');
  });

  test('up prints the findings before anything runs, then runs; a bad .ladder.toml stops it before anything is written', async () => {
    const dir = migrationsDir({
      '1_region.up.sql': 'SET lock_timeout = \'5s\';\nALTER TABLE orders ADD COLUMN region text NOT NULL;\n',
      '1_region.down.sql': 'ALTER TABLE orders DROP COLUMN region;\n',
    });
    writeFileSync(join(dir, '.ladder.toml'), '[lint.rules]\nrenames = "off"\n');
    const refused = await ladder(['-database', url, '-path', '.', 'up'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('.ladder.toml: [lint.rules] names no rule "renames"');
    expect(await query(url, `SELECT to_regclass('public.schema_migrations') AS t`)).toEqual([{ t: null }]);

    writeFileSync(join(dir, '.ladder.toml'), '[lint.rules]\nmissing-down = "off"\n');
    const up = await ladder(['-database', url, '-path', '.', 'up'], { cwd: dir });
    expect(up.code).toBe(1);
    const lintAt = up.stderr.indexOf('lint: 1 finding (1 error, 0 warnings, 0 info) in this plan, before anything runs:');
    expect(lintAt).toBeGreaterThanOrEqual(0);
    expect(up.stderr).toContain('1_region.up.sql:2:1: error [add-column-not-null] ALTER TABLE orders ADD COLUMN region text NOT NULL');
    // The prediction comes true: PostgreSQL refuses the statement, after the finding was shown.
    expect(up.stderr.indexOf('contains null values')).toBeGreaterThan(lintAt);
  });

  test('without a database: the folder alone, said so, and no sandbox started', async () => {
    const r = await ladder(['-path', 'formats/golang-migrate', 'lint'], { cwd: FIXTURES });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('formats/golang-migrate/000001_status_idx.up.sql:2:1: error [concurrently-in-transaction]');
    expect(r.stdout).toContain("no database given, so every migration counts as pending and the folder's history decides what exists");
    expect(r.stderr).not.toContain('sandbox');
    // The project's Flyway fixture: a repeatable has no down to miss; V3 has its U3 in a subfolder.
    const fly = await ladder(['-path', '../flyway', '-format', 'flyway', 'lint', '--all', '--json'], { cwd: FIXTURES });
    const missing = (JSON.parse(fly.stdout) as { findings: JsonFinding[] }).findings.filter((f) => f.rule === 'missing-down').map((f) => f.file);
    expect(missing).toEqual(['../flyway/V1__create_accounts.sql', '../flyway/V1_1__add_account_email.sql', '../flyway/V2__create_orders.sql'].map((p) => join(FIXTURES, p)));
  });
});
