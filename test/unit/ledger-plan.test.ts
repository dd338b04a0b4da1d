import { describe, expect, it } from 'vitest';
import type { AppliedMigration, FormatListing, FormatMigration, LedgerRules } from '../../src/formats/driver.js';
import { dbmateRules } from '../../src/formats/dbmate/rules.js';
import { sqlxRules } from '../../src/formats/sqlx/rules.js';
import { flywayRules } from '../../src/formats/flyway/rules.js';
import { setModel } from '../../src/engine/ledger/plan.js';
import { describePlan, plan, type Intent, type PlanResult } from '../../src/engine/plan.js';
import { refusalText } from '../../src/engine/refusal-text.js';
import type { DbState } from '../../src/formats/types.js';

const file = (name: string, sql = 'select 1;') => ({ path: `/m/${name}`, file: name, sql, transaction: true });

function mig(version: string, opts: { down?: boolean; checksum?: string; kind?: 'versioned' | 'repeatable'; description?: string } = {}): FormatMigration {
  const repeatable = opts.kind === 'repeatable';
  const description = opts.description ?? `m${version}`;
  const key = repeatable ? `R__${description}` : version;
  return {
    key,
    version: repeatable ? null : version,
    description,
    kind: repeatable ? 'repeatable' : 'versioned',
    up: file(`${version}_up.sql`),
    ...(opts.down === false ? {} : { down: file(`${version}_down.sql`) }),
    ...(opts.checksum !== undefined ? { checksum: opts.checksum } : {}),
  };
}

const listing = (...migrations: FormatMigration[]): FormatListing => ({ dir: '/m', migrations, problems: [], ignored: [] });
const row = (key: string, extra: Partial<AppliedMigration> = {}): AppliedMigration => ({ key, version: key, success: true, ...extra });

function planOf(rules: LedgerRules, l: FormatListing, rows: AppliedMigration[], intent: Intent, format = 'tool'): PlanResult {
  const failed = rules.failed(rows);
  const state: DbState = { version: rules.current(l, rows) ?? '-1', dirty: failed !== null, applied: rows };
  return plan(setModel(rules, format), l, state, intent);
}

const described = (r: PlanResult) => (r.ok ? describePlan(r.plan) : `refused: ${refusalText(r.refusal).message}`);

describe('dbmate rules', () => {
  const l = listing(mig('001'), mig('002'), mig('1', { down: false }), mig('3'));
  it('up applies every pending file in file-name order, older ones too (dbmate allows out of order)', () => {
    expect(described(planOf(dbmateRules, l, [row('002')], { kind: 'up' }))).toBe('up runs: up 001, up 1, up 3');
    expect(described(planOf(dbmateRules, l, [row('002')], { kind: 'up', limit: 1 }))).toBe('up 1 runs: up 001');
  });
  it('"001" and "1" are different versions', () => {
    const r = planOf(dbmateRules, l, [row('001')], { kind: 'up', limit: 1 });
    expect(r.ok && r.plan.steps[0]).toMatchObject({ kind: 'migrate', version: '002' });
  });
  it('down takes the last applied file in file-name order; a file without a down section refuses the plan before anything runs', () => {
    expect(described(planOf(dbmateRules, l, [row('001'), row('002'), row('3')], { kind: 'down', limit: 1 }))).toBe('down 1 runs: down 3');
    const r = planOf(dbmateRules, l, [row('001'), row('002'), row('1'), row('3')], { kind: 'down', limit: 2 });
    expect(described(r)).toBe('refused: dbmate cannot roll back 1_up.sql: it has no down section.');
    expect(!r.ok && refusalText(r.refusal).hint).toMatch(/"down 1" stops before it/);
  });
  it('goto goes back then forward in file order', () => {
    expect(described(planOf(dbmateRules, l, [row('001'), row('002'), row('3')], { kind: 'goto', version: '001' }))).toBe('goto 001 runs: down 3, down 002');
    expect(described(planOf(dbmateRules, l, [], { kind: 'goto', version: '002' }))).toBe('goto 002 runs: up 001, up 002');
    expect(described(planOf(dbmateRules, l, [], { kind: 'goto', version: '7' }))).toBe('refused: no migration found for version 7');
  });
  it('force records the row, forget removes it, repair has nothing to do', () => {
    expect(described(planOf(dbmateRules, l, [], { kind: 'force', version: '002' }))).toBe('force 002 runs: mark 002 applied');
    expect(described(planOf(dbmateRules, l, [row('002')], { kind: 'forget', version: '002' }))).toBe('forget 002 runs: forget 002');
    expect(described(planOf(dbmateRules, l, [row('002')], { kind: 'force', version: '002' }))).toBe('refused: no change');
    expect(described(planOf(dbmateRules, l, [], { kind: 'repair' }))).toMatch(/^refused: dbmate keeps no checksums/);
  });
  it('current is the last applied file; rows without files are listed as missing', () => {
    expect(dbmateRules.current(l, [row('001'), row('3'), row('999')])).toBe('3');
    expect(dbmateRules.entries(l, [row('999')]).find((e) => e.key === '999')).toMatchObject({ state: 'missing' });
  });
});

describe('sqlx rules', () => {
  const l = listing(mig('1', { checksum: 'aa' }), mig('2', { checksum: 'bb', down: false }), mig('3', { checksum: 'cc' }));
  it('run applies unapplied versions ascending, even below the latest applied', () => {
    expect(described(planOf(sqlxRules, l, [row('3', { checksum: 'cc' })], { kind: 'up' }))).toBe('up runs: up 1, up 2');
  });
  it('revert takes the highest applied version with a .down.sql, passing over simple migrations', () => {
    const rows = [row('1', { checksum: 'aa' }), row('2', { checksum: 'bb' }), row('3', { checksum: 'cc' })];
    expect(described(planOf(sqlxRules, l, rows, { kind: 'down', limit: 2 }))).toBe('down 2 runs: down 3, down 1');
  });
  it("refuses as sqlx does: a dirty row, a changed file, a row without a file", () => {
    expect(described(planOf(sqlxRules, l, [row('1', { checksum: 'aa', success: false })], { kind: 'up' }))).toBe(
      'refused: migration 1 is partially applied; fix and remove row from `_sqlx_migrations` table',
    );
    expect(described(planOf(sqlxRules, l, [row('1', { checksum: 'xx' })], { kind: 'up' }))).toBe('refused: migration 1 was previously applied but has been modified');
    expect(described(planOf(sqlxRules, l, [row('9', { checksum: 'xx' })], { kind: 'up' }))).toBe('refused: migration 9 was previously applied but is missing in the resolved migrations');
  });
  it('repair removes failed rows and realigns checksums; force on a failed row clears it, then records it', () => {
    const rows = [row('1', { checksum: 'xx' }), row('3', { checksum: 'cc', success: false })];
    expect(described(planOf(sqlxRules, l, rows, { kind: 'repair' }))).toBe('repair runs: remove failed row 3, realign 1');
    expect(described(planOf(sqlxRules, l, rows, { kind: 'force', version: '3' }))).toBe('force 3 runs: remove failed row 3, mark 3 applied');
    const status = sqlxRules.entries(l, rows);
    expect(status.find((e) => e.key === '1')).toMatchObject({ state: 'changed', checksum: { stored: 'xx', local: 'aa' }, label: 'installed (different checksum)' });
  });
});

describe('Flyway rules', () => {
  const l = listing(mig('1', { checksum: '10' }), mig('1.1', { checksum: '11', down: false }), mig('2', { checksum: '20' }), mig('x', { kind: 'repeatable', description: 'view', checksum: '99' }));
  const applied = (key: string, rank: number, extra: Partial<AppliedMigration> = {}) =>
    row(key, { installedRank: rank, type: 'SQL', description: `m${key}`, checksum: String(Number(key.replace('.', '')) * 10 + (key === '1.1' ? -100 : 0)), ...extra });
  it('migrate applies pending versions in order, then repeatables', () => {
    expect(described(planOf(flywayRules, l, [], { kind: 'up' }))).toBe('up runs: up 1, up 1.1, up 2, up x_up.sql');
  });
  it('a pending version below the current one is Ignored: migrate refuses with validate', () => {
    const r = planOf(flywayRules, l, [applied('1', 1), applied('2', 2)], { kind: 'up' });
    expect(described(r)).toMatch(/^refused: Validate failed: Migrations have failed validation\nDetected resolved migration not applied to database: 1\.1\./);
  });
  it('undo needs a U file: the plan says so instead of failing midway', () => {
    const rows = [applied('1', 1), applied('1.1', 2), applied('2', 3)];
    expect(described(planOf(flywayRules, l, rows, { kind: 'down', limit: 1 }))).toBe('down 1 runs: down 2');
    expect(described(planOf(flywayRules, l, rows, { kind: 'down', limit: 2 }))).toBe('refused: Flyway cannot undo version 1.1: there is no U1.1__ file for it.');
  });
  it('repair removes failed rows', () => {
    const rows = [applied('1', 1), applied('1.1', 2, { success: false })];
    expect(flywayRules.failed(rows)).toBe('1.1');
    expect(described(planOf(flywayRules, l, rows, { kind: 'repair' }))).toBe('repair runs: remove failed row 1.1');
  });
});
