import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freshDatabase } from '../helpers/db.js';
import { splitStatements } from '../../src/db/statements.js';
import { lint } from '../../src/engine/lint/core.js';
import { gatherFacts } from '../../src/engine/lint/facts.js';
import { parseLintConfig } from '../../src/engine/lint/config.js';
import { EMPTY_CONFIG, type DbFacts, type LintConfig, type LintFile } from '../../src/engine/lint/types.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/lint');
const RULES_DIR = join(FIXTURES, 'rules');

/** Each rule's bad.sql and its exact findings as [rule, line]; every safe*.sql must give none. */
const BAD: Record<string, [string, number][]> = {
  'index-not-concurrent': [['index-not-concurrent', 2]],
  'concurrently-in-transaction': [['concurrently-in-transaction', 2]],
  'add-column-not-null': [['add-column-not-null', 2]],
  'rewriting-default': [['rewriting-default', 2], ['rewriting-default', 3]],
  'alter-column-type': [['alter-column-type', 2], ['alter-column-type', 3], ['alter-column-type', 4]],
  'set-not-null': [['set-not-null', 2]],
  'constraint-not-valid': [['constraint-not-valid', 2], ['constraint-not-valid', 3], ['constraint-not-valid', 4]],
  'unique-without-index': [['unique-without-index', 2]],
  'drop-data': [['drop-data', 2], ['drop-data', 3], ['drop-data', 4]],
  rename: [['rename', 2], ['rename', 3]],
  'update-without-where': [['update-without-where', 1], ['update-without-where', 2]],
  'lock-timeout': [['lock-timeout', 1]],
  'enum-add-value-in-transaction': [['enum-add-value-in-transaction', 1]],
  'create-if-not-exists': [['create-if-not-exists', 1], ['create-if-not-exists', 2]],
};
const OPT_IN: LintConfig = { rules: { 'create-if-not-exists': 'on' } };

let client: pg.Client;
let facts: DbFacts;

/** A golang-migrate file: the whole text as one query, no transaction of the tool's own. */
async function fileOf(path: string, version = '1'): Promise<LintFile> {
  const sql = readFileSync(path, 'utf8');
  return { version, direction: 'up', file: path.slice(FIXTURES.length + 1), lineOffset: 0, sql, parsed: await splitStatements(sql), eachStatement: false };
}

async function findings(path: string, config: LintConfig = path.includes('create-if-not-exists') ? OPT_IN : EMPTY_CONFIG) {
  const file = await fileOf(path);
  return lint({ files: [file], db: await gatherFacts(client, [file]), config });
}

beforeAll(async () => {
  client = new pg.Client({ connectionString: await freshDatabase('lint_rules') });
  await client.connect();
  await client.query(readFileSync(join(FIXTURES, 'base.sql'), 'utf8'));
  facts = await gatherFacts(client, [await fileOf(join(RULES_DIR, 'drop-data/bad.sql')), await fileOf(join(RULES_DIR, 'drop-data/safe.sql'))]);
});
afterAll(() => client?.end());

describe('every rule: its bad fixture gives exactly its findings, the safe ones none', () => {
  test('a fixture folder for every rule with statements', () => {
    expect(readdirSync(RULES_DIR).filter((d) => d !== 'suppression').sort()).toEqual(Object.keys(BAD).sort());
  });
  for (const [rule, expected] of Object.entries(BAD)) {
    test(`${rule}: bad.sql`, async () => {
      const got = await findings(join(RULES_DIR, rule, 'bad.sql'));
      expect(got.map((f) => [f.rule, f.line])).toEqual(expected);
      for (const f of got) expect(f.column).toBe(1);
    });
    for (const safe of readdirSync(join(RULES_DIR, rule)).filter((f) => f.startsWith('safe'))) {
      test(`${rule}: ${safe}`, async () => {
        expect((await findings(join(RULES_DIR, rule, safe))).map((f) => [f.rule, f.line, f.message])).toEqual([]);
      });
    }
  }
});

describe('severity follows what happens on this database', () => {
  test('live facts: row estimates, column types, validated checks', () => {
    const orders = facts.tables.get('public.orders')!;
    expect(orders.estimate).toBe(5000);
    expect(orders.columns.get('note')).toEqual({ type: 'varchar', mods: [20], array: false });
    expect(orders.columns.get('amount')).toEqual({ type: 'numeric', mods: [10, 2], array: false });
    expect(facts.tables.get('public.audit_log')!.hasRows).toBe(false);
  });

  test('data loss and a NOT NULL column on a table with rows are errors, naming the rows', async () => {
    const drops = await findings(join(RULES_DIR, 'drop-data/bad.sql'));
    expect(drops.map((f) => f.severity)).toEqual(['error', 'error', 'error']);
    expect(drops[0]!.message).toContain('orders has about 5000 rows (pg_class.reltuples)');
    expect(drops[1]!.message).toContain('customers has about 100 rows');
    const [notNull] = await findings(join(RULES_DIR, 'add-column-not-null/bad.sql'));
    expect(notNull!.severity).toBe('error');
    expect(notNull!.fix).toContain('DEFAULT');
    const [conc] = await findings(join(RULES_DIR, 'concurrently-in-transaction/bad.sql'));
    expect(conc!.severity).toBe('error');
    expect(conc!.message).toContain('one implicit transaction');
  });

  test('locks and rewrites are warnings; UPDATE without WHERE a warning, DELETE an error', async () => {
    expect((await findings(join(RULES_DIR, 'index-not-concurrent/bad.sql')))[0]!.severity).toBe('warning');
    expect((await findings(join(RULES_DIR, 'update-without-where/bad.sql'))).map((f) => f.severity)).toEqual(['warning', 'error']);
    const types = await findings(join(RULES_DIR, 'alter-column-type/bad.sql'));
    expect(types[0]!.message).toContain('from varchar(20) to varchar(10)');
  });

  test('an unanalyzed table with rows is read, not guessed', async () => {
    await client.query(`CREATE TABLE fresh (id int); INSERT INTO fresh VALUES (1)`);
    const sql = `SET lock_timeout = '1s';\nDROP TABLE fresh;\n`;
    const file: LintFile = { version: '1', direction: 'down', file: 'x.sql', lineOffset: 0, sql, parsed: await splitStatements(sql), eachStatement: false };
    const [f] = lint({ files: [file], db: await gatherFacts(client, [file]), config: EMPTY_CONFIG });
    expect([f!.rule, f!.severity, f!.direction]).toEqual(['drop-data', 'error', 'down']);
    expect(f!.message).toContain('fresh has rows');
  });

  test('without a database the folder decides: unknown rows are warnings, unknown tables are not flagged', async () => {
    const file = await fileOf(join(RULES_DIR, 'drop-data/bad.sql'));
    expect(lint({ files: [file], config: EMPTY_CONFIG })).toEqual([]);
    const history = await fileOf(join(FIXTURES, 'base.sql'), '0');
    const got = lint({ files: [file], history: [history], config: EMPTY_CONFIG });
    expect(got.map((f) => [f.rule, f.line, f.severity])).toEqual([
      ['drop-data', 2, 'warning'],
      ['drop-data', 3, 'warning'],
      ['drop-data', 4, 'warning'],
    ]);
    expect(got[0]!.message).toContain('created by an earlier migration');
  });
});

describe('suppression and configuration', () => {
  test('-- ladder:ignore RULE reason suppresses; without a reason or with an unknown rule it does not, and says so', async () => {
    const got = await findings(join(RULES_DIR, 'suppression/ignored.sql'));
    expect(got.map((f) => [f.rule, f.line])).toEqual([
      ['ignore-without-reason', 4],
      ['drop-data', 5],
      ['ignore-without-reason', 6],
      ['drop-data', 7],
    ]);
    expect(got[0]!.message).toContain('gives no reason');
    expect(got[2]!.message).toContain('no rule called drop-dta');
  });

  test('.ladder.toml disables, enables and re-grades rules', async () => {
    const bad = join(RULES_DIR, 'drop-data/bad.sql');
    const off = parseLintConfig('[lint.rules]\ndrop-data = "off"\n');
    expect(await findings(bad, off)).toEqual([]);
    const regraded = parseLintConfig('[lint.rules]\ndrop-data = "info"\n');
    expect((await findings(bad, regraded)).map((f) => f.severity)).toEqual(['info', 'info', 'info']);
    expect(await findings(join(RULES_DIR, 'create-if-not-exists/bad.sql'), EMPTY_CONFIG)).toEqual([]);
  });

  test('a bad .ladder.toml is an error naming the file and what is wrong', () => {
    expect(() => parseLintConfig('[lint.rules]\ndrop-dta = "off"\n', '/p/.ladder.toml')).toThrow(/\/p\/\.ladder\.toml: \[lint\.rules\] names no rule "drop-dta"/);
    expect(() => parseLintConfig('[lint.rules]\nrename = "loud"\n')).toThrow(/rename = "loud": use one of "off", "on", "error", "warning", "info"/);
    expect(() => parseLintConfig('[lint.rules\n', '/p/.ladder.toml')).toThrow(/\/p\/\.ladder\.toml:\d+:\d+: not valid TOML/);
  });
});

describe('positions', () => {
  test('line and column of a statement that does not start a line, and a syntax error', async () => {
    const sql = `SET lock_timeout = '1s';  DROP TABLE orders;\nALTER TABLE orders ADD COLUMN x int NOT NUL;\n`;
    const file: LintFile = { version: '1', direction: 'up', file: 'x.sql', lineOffset: 0, sql, parsed: await splitStatements(sql), eachStatement: false };
    const [f] = lint({ files: [file], db: facts, config: EMPTY_CONFIG });
    expect([f!.rule, f!.line, f!.column]).toEqual(['syntax-error', 2, 41]);
    const ok = `SET lock_timeout = '1s';  DROP TABLE orders;\n`;
    const g = lint({ files: [{ ...file, sql: ok, parsed: await splitStatements(ok) }], db: facts, config: EMPTY_CONFIG });
    expect(g.map((x) => [x.rule, x.line, x.column])).toEqual([['drop-data', 1, 27]]);
  });
});

describe('files that run nothing', () => {
  test('an empty or whitespace-only file is no syntax error (golang-migrate skips it)', async () => {
    const { readLintFile } = await import('../../src/engine/lint/files.js');
    const { migrationsDir } = await import('../helpers/cli.js');
    const dir = migrationsDir({ '1_a.up.sql': '  \n\t\n', '1_a.down.sql': '' });
    const m = { version: '1', name: 'a', up: { path: join(dir, '1_a.up.sql'), file: '1_a.up.sql', name: 'a' }, down: { path: join(dir, '1_a.down.sql'), file: '1_a.down.sql', name: 'a' } };
    const up = (await readLintFile(m, 'up', dir))!;
    expect(lint({ files: [up, (await readLintFile(m, 'down', dir))!], config: EMPTY_CONFIG })).toEqual([]);
  });
});
