import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { splitStatements } from '../../src/db/statements.js';
import { lint } from '../../src/engine/lint/core.js';
import { readFolderListing } from '../../src/engine/lint/folder.js';
import { lintFolder } from '../../src/engine/lint/project-lint.js';
import { EMPTY_CONFIG, type LintFile } from '../../src/engine/lint/types.js';
import type { FormatName } from '../../src/formats/detect.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/lint');
const RULE = 'down-does-not-reverse';

/** This rule's findings over a fixture folder, every up and down linted, as [file, line]. */
async function reversalFindings(folder: string, format: FormatName) {
  const { listing } = await readFolderListing(join(FIXTURES, 'reversal', folder), format);
  const r = await lintFolder(listing, { kind: 'all' }, EMPTY_CONFIG, FIXTURES);
  return r.findings.filter((f) => f.rule === RULE);
}

const at = (fs: { file: string; line: number }[]) => fs.map((f) => [f.file, f.line]);

describe('down-does-not-reverse: from the parse trees of both halves', () => {
  test('golang-migrate pairs: forgotten index, type, column; a drop the up did not make; a type change not undone; the exact, IF EXISTS and CASCADE downs pass', async () => {
    const fs = await reversalFindings('golang-migrate', 'golang-migrate');
    const gm = 'reversal/golang-migrate/';
    expect(at(fs)).toEqual([
      [`${gm}2_email_index.up.sql`, 1],
      [`${gm}3_mood.up.sql`, 1],
      [`${gm}4_nickname.up.sql`, 1],
      [`${gm}5_audit.down.sql`, 2],
      [`${gm}6_email_type.up.sql`, 1],
    ]);
    expect(fs.every((f) => f.severity === 'warning')).toBe(true);
    expect(fs[0]!.message).toContain('index users_email_idx on users');
    expect(fs[0]!.message).toContain(`the down (${gm}2_email_index.down.sql) does not drop it`);
    expect(fs[0]!.fix).toBe(`Add DROP INDEX IF EXISTS users_email_idx; to the down (${gm}2_email_index.down.sql).`);
    expect(fs[1]!.message).toContain('type mood');
    expect(fs[2]!.message).toContain('column nickname of users');
    expect(fs[3]!.message).toContain('drops table users, which its up');
    expect(fs[3]!.direction).toBe('down');
    expect(fs[4]!.message).toContain('changes the type of column email of users');
    // Every finding says which evidence it rests on.
    for (const f of fs) expect(f.message).toContain("Evidence: PostgreSQL's parser's reading of both halves (not replayed");
  });

  test('dbmate sections: lines numbered in the whole file; a drop of another table, a forgotten type; IF EXISTS both ways passes', async () => {
    const fs = await reversalFindings('dbmate', 'dbmate');
    const d = 'reversal/dbmate/';
    expect(fs.map((f) => [f.file, f.line, f.direction])).toEqual([
      [`${d}20240101000002_email_idx.sql`, 6, 'down'],
      [`${d}20240101000003_mood.sql`, 2, 'up'],
      [`${d}20240101000003_mood.sql`, 5, 'down'],
    ]);
    expect(fs[2]!.message).toContain('drops type feeling');
  });

  test('sqlx reversible: a column added to another table and left by the down; CASCADE and the exact index drop pass', async () => {
    const fs = await reversalFindings('sqlx', 'sqlx');
    expect(at(fs)).toEqual([['reversal/sqlx/20240101000002_orders.up.sql', 2]]);
    expect(fs[0]!.message).toContain('column last_order of users');
  });

  test('ladder:ignore on the reported statement suppresses it; off in the settings turns it off', async () => {
    const pair = async (up: string, down: string): Promise<LintFile> => {
      const d: LintFile = { version: '1', direction: 'down', file: 'd.sql', lineOffset: 0, sql: down, parsed: await splitStatements(down), eachStatement: false };
      return { version: '1', direction: 'up', file: 'u.sql', lineOffset: 0, sql: up, parsed: await splitStatements(up), eachStatement: false, hasDown: true, other: d };
    };
    const up = await pair('CREATE TABLE a (id int);\nCREATE INDEX a_id ON a (id);\nCREATE TABLE b (id int);', 'DROP TABLE a;');
    expect(lint({ files: [up], config: EMPTY_CONFIG }).map((f) => [f.rule, f.line])).toEqual([[RULE, 3]]);
    const ignored = await pair('CREATE TABLE a (id int);\n-- ladder:ignore down-does-not-reverse b is shared with the next release\nCREATE TABLE b (id int);', 'DROP TABLE a;');
    expect(lint({ files: [ignored], config: EMPTY_CONFIG })).toEqual([]);
    expect(lint({ files: [up], config: { rules: { [RULE]: 'off' } } })).toEqual([]);
    expect(lint({ files: [up], config: { rules: { [RULE]: 'error' } } }).map((f) => f.severity)).toEqual(['error']);
  });

  test('dynamic SQL in either half (DO, a function call) is not judged: the parser cannot see what it does', async () => {
    const up = 'CREATE TABLE a (id int);';
    const down = "DO $$ BEGIN EXECUTE 'DROP TABLE a'; END $$;";
    const d: LintFile = { version: '1', direction: 'down', file: 'd.sql', lineOffset: 0, sql: down, parsed: await splitStatements(down), eachStatement: false };
    const u: LintFile = { version: '1', direction: 'up', file: 'u.sql', lineOffset: 0, sql: up, parsed: await splitStatements(up), eachStatement: false, hasDown: true, other: d };
    expect(lint({ files: [u], config: EMPTY_CONFIG }).filter((f) => f.rule === RULE)).toEqual([]);
  });

  test('a down linted on its own (a down plan) is checked against its up once; with both linted, once too', async () => {
    const { listing } = await readFolderListing(join(FIXTURES, 'reversal', 'golang-migrate'), 'golang-migrate');
    const m = listing.migrations.find((x) => x.version === '5')!;
    const { readLintFile } = await import('../../src/engine/lint/files.js');
    const down = (await readLintFile(m, 'down', FIXTURES))!;
    const up = (await readLintFile(m, 'up', FIXTURES))!;
    expect(lint({ files: [down], config: EMPTY_CONFIG }).filter((f) => f.rule === RULE).map((f) => [f.file, f.line])).toEqual([['reversal/golang-migrate/5_audit.down.sql', 2]]);
    expect(lint({ files: [up, down], config: EMPTY_CONFIG }).filter((f) => f.rule === RULE)).toHaveLength(1);
  });
});

describe('down-does-not-reverse with --replay: verify on a scratch database confirms each finding', () => {
  test('the same findings, each saying the replay saw it; the downs the parser passes also pass the replay', async () => {
    const { freshDatabase } = await import('../helpers/db.js');
    const { ladderIn, scratchArgs } = await import('../insight/helpers.js');
    const url = await freshDatabase('lint_replay');
    const r = await ladderIn(['-path', 'reversal/golang-migrate', '-database', url, 'lint', '--all', '--json', '--replay', ...scratchArgs()], {}, FIXTURES);
    const fs = (JSON.parse(r.stdout) as { findings: { rule: string; file: string; line: number; message: string }[] }).findings.filter((f) => f.rule === RULE);
    expect(at(fs)).toEqual([
      ['reversal/golang-migrate/2_email_index.up.sql', 1],
      ['reversal/golang-migrate/3_mood.up.sql', 1],
      ['reversal/golang-migrate/4_nickname.up.sql', 1],
      ['reversal/golang-migrate/5_audit.down.sql', 2],
      ['reversal/golang-migrate/6_email_type.up.sql', 1],
    ]);
    for (const f of fs) expect(f.message).toContain('confirmed by a replay on a scratch database');
    expect(fs[0]!.message).toMatch(/users_email_idx/);
  }, 120_000);
});
