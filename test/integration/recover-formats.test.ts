import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';

// The recovery guide for the tools that track a set of rows: a non-transactional step that committed
// part of its work before a later statement failed, explained statement by statement from the journal.

const journal = (url: string) =>
  query<{ version: string; direction: string; outcome: string; error_line: number | null }>(url, 'select version, direction, outcome, error_line from ladder_journal order by id');
const recoverJson = async (args: string[]) => {
  const r = await ladderLocal([...args, 'recover', '--json']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
};
const fates = (c: { candidates: { statements: { startLine: number; fate: string }[] }[] }) => c.candidates[0]!.statements.map((s) => `${s.startLine} ${s.fate}`);

describe('dbmate transaction:false: the first BEGIN … COMMIT block committed, a later statement failed', () => {
  const FILE = [
    '-- migrate:up transaction:false', // 1
    'BEGIN;', // 2
    'CREATE TABLE a (id int);', // 3
    'INSERT INTO a VALUES (1);', // 4
    'COMMIT;', // 5
    'CREATE TABLE b (id int);', // 6
    "INSERT INTO b VALUES ('x');", // 7: fails
    '', // 8
    '-- migrate:down', // 9
    'DROP TABLE IF EXISTS b;', // 10
    'DROP TABLE IF EXISTS a;', // 11
    '',
  ].join('\n');

  it('recover --json marks the block kept and the failing statement failed, with the file\'s line numbers; the journal has every step', async () => {
    const url = await freshDatabase('rec_dbmate');
    const dir = migrationsDir({
      '20240101000000_first.sql': '-- migrate:up\nCREATE TABLE first (id int);\n\n-- migrate:down\nDROP TABLE first;\n',
      '20240102000000_half.sql': FILE,
    });
    const args = ['--format', 'dbmate', '-path', dir, '-database', url];
    const up = await ladderLocal([...args, 'up']);
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('20240102000000_half.sql:7');
    // dbmate's own table: the first migration only (the failed one wrote no row), and never changed by the journal
    expect(await query(url, 'select version from schema_migrations order by version')).toEqual([{ version: '20240101000000' }]);
    expect(await journal(url)).toEqual([
      { version: '20240101000000', direction: 'up', outcome: 'ok', error_line: null },
      { version: '20240102000000', direction: 'up', outcome: 'failed', error_line: 7 },
    ]);

    const c = await recoverJson(args);
    expect(c).toMatchObject({ source: 'journal', version: '20240101000000', dirty: false });
    expect(c.unfinished).toMatch(/^up 20240102000000 half did not finish, and dbmate's table has no row for it/);
    const k = c.candidates[0];
    expect(k).toMatchObject({ direction: 'up', version: '20240102000000', certain: true, committed: 'part', error: { line: 7 } });
    expect(fates(c)).toEqual(['2 kept', '3 kept', '4 kept', '5 kept', '6 rolled-back', '7 failed']);
    // Never a way out that applies the committed block twice: re-running needs a typed confirmation and is not recommended
    const retry = k.options.find((o: { id: string }) => o.id === 'retry');
    expect(retry).toMatchObject({ recommended: false, steps: ['up 20240102000000'] });
    expect(retry.label).toContain('dbmate migrate runs it again');
    expect(retry.confirm.alreadyThere.join('\n')).toContain('table a');
    expect(k.options.map((o: { id: string }) => o.id)).toEqual(['retry', 'mark-done', 'undo', 'leave']);
    expect(k.recommended).toBe('undo');

    // Undo runs the down section; dbmate's table is as before, the journal records it, nothing is left to recover
    const undo = await ladderLocal([...args, 'recover', '--apply', 'undo', '--yes']);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toContain('Recovered');
    // The plan is named after the step it gets out of, not dbmate's current version (20240101000000)
    expect(undo.stdout).toContain('Plan: recover 20240102000000 (undo)');
    expect(await query(url, "select to_regclass('a')::text a, to_regclass('b')::text b")).toEqual([{ a: null, b: null }]);
    expect(await query(url, 'select version from schema_migrations order by version')).toEqual([{ version: '20240101000000' }]);
    expect((await journal(url)).map((e) => `${e.direction} ${e.version} ${e.outcome}`)).toEqual([
      'up 20240101000000 ok',
      'up 20240102000000 failed',
      'down 20240102000000 ok',
    ]);
    const after = await ladderLocal([...args, 'recover']);
    expect(after.stdout).toContain('Nothing to recover');
  });
});

describe('a plain "up" after a half-committed step (dbmate counts it as pending)', () => {
  it('is refused, naming what is already there, and changes nothing; --confirm-rerun V runs it again', async () => {
    const url = await freshDatabase('rec_dbmate_rerun');
    // Its own BEGIN … COMMIT block commits before the failing line (one simple query would otherwise be all or nothing).
    const half = '-- migrate:up transaction:false\nBEGIN;\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\nCOMMIT;\nINSERT INTO a VALUES (\'x\');\n\n-- migrate:down\nDROP TABLE IF EXISTS a;\n';
    const dir = migrationsDir({ '20240102000000_half.sql': half });
    const args = ['--format', 'dbmate', '-path', dir, '-database', url];
    expect((await ladderLocal([...args, 'up'])).code).toBe(1);
    expect(await query(url, 'select count(*)::int n from a')).toEqual([{ n: 1 }]);

    // The user fixes the failing line; the committed CREATE and first INSERT would run a second time.
    writeFileSync(join(dir, '20240102000000_half.sql'), half.replace("VALUES ('x')", 'VALUES (2)'));
    const again = await ladderLocal([...args, 'up']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/runs up 20240102000000 half again, and that step did not finish last time/);
    expect(again.stderr).toMatch(/  - table a /);
    expect(again.stderr).toContain('--confirm-rerun 20240102000000');
    expect(await query(url, 'select count(*)::int n from a')).toEqual([{ n: 1 }]);
    expect(await query(url, 'select version from schema_migrations')).toEqual([]);
    expect((await journal(url)).map((e) => e.outcome)).toEqual(['failed']);

    // Typed: it runs (and fails on the table its first run committed, which is what the warning said)
    const typed = await ladderLocal([...args, 'up', '--confirm-rerun', '20240102000000']);
    expect(typed.code).toBe(1);
    expect(typed.stderr).toMatch(/relation "a" already exists/);
  });
});

describe('sqlx -- no-transaction with its own COMMIT', () => {
  it('the committed part is kept, the rest rolled back; the ways out are sqlx\'s', async () => {
    const url = await freshDatabase('rec_sqlx');
    const dir = migrationsDir({
      '1_first.sql': 'CREATE TABLE first (id int);\n',
      '2_half.sql': '-- no-transaction\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\nCREATE TABLE c (id nope_type);\n',
    });
    const args = ['--format', 'sqlx', '-path', dir, '-database', url];
    expect((await ladderLocal([...args, 'up'])).code).toBe(1);
    expect(await query(url, 'select version::text from _sqlx_migrations')).toEqual([{ version: '1' }]);
    const c = await recoverJson(args);
    expect(fates(c)).toEqual(['2 kept', '3 kept', '4 rolled-back', '5 failed']);
    const k = c.candidates[0];
    expect(k.committed).toBe('part');
    const mark = k.options.find((o: { id: string }) => o.id === 'mark-done');
    expect(mark.label).toContain('mark it applied with its checksum');
    expect(k.options.find((o: { id: string }) => o.id === 'retry').recommended).toBe(false);
  });
});

describe('Flyway non-transactional script, statement by statement', () => {
  it('statements before the failing one committed each on its own', async () => {
    const url = await freshDatabase('rec_flyway');
    const dir = migrationsDir({
      'V1__first.sql': 'CREATE TABLE first (id int);\n',
      'V2__half.sql': 'CREATE INDEX CONCURRENTLY a_id ON first (id);\nCREATE INDEX CONCURRENTLY b_id ON first (nope);\nCREATE INDEX CONCURRENTLY c_id ON first (id);\n',
    });
    const args = ['--format', 'flyway', '-path', dir, '-database', url];
    expect((await ladderLocal([...args, 'up'])).code).toBe(1);
    const c = await recoverJson(args);
    expect(fates(c)).toEqual(['1 kept', '2 failed', '3 not-run']);
    const k = c.candidates[0];
    expect(k.effects.mode).toBe('statement-by-statement');
    expect(k.options.find((o: { id: string }) => o.id === 'retry').label).toContain('flyway migrate runs the script again');
    expect(k.options.map((o: { id: string }) => o.id)).not.toContain('undo');
    expect(await journal(url)).toHaveLength(2);
  });
});
