import { describe, expect, it } from 'vitest';
import { describePlan, plan as planWith, stepLabel, type Intent, type MigrateStep, type PlanResult } from '../../src/engine/plan.js';
import { versionModel } from '../../src/engine/plan-version.js';
import { golangMigrateRules } from '../../src/formats/golang-migrate/rules.js';
import type { DbState, SourceListing } from '../../src/formats/types.js';
import { refusalText } from '../../src/engine/refusal-text.js';
import { listing } from '../helpers/listing.js';

const golangMigrate = versionModel(golangMigrateRules, 'golang-migrate');
const plan = (l: SourceListing, state: DbState, intent: Intent): PlanResult => planWith(golangMigrate, l, state, intent);

const clean = (v: number) => ({ version: String(v), dirty: false });
const NONE = { version: '-1', dirty: false };
const L = listing([1, 2, 3, 5, 8]);

function steps(r: PlanResult): string[] {
  if (!r.ok) throw new Error(`refused: ${r.refusal.kind}`);
  return r.plan.steps.map((s) => (s.kind === 'migrate' ? `${s.direction} ${s.version}->${s.target}` : s.kind === 'force' ? `force ${s.version}` : 'drop'));
}
function refusal(r: PlanResult) {
  if (r.ok) throw new Error(`planned: ${describePlan(r.plan)}`);
  return r.refusal;
}

describe('plan: up', () => {
  it('all pending from nothing, each recording its own version', () => {
    expect(steps(plan(L, NONE, { kind: 'up' }))).toEqual(['up 1->1', 'up 2->2', 'up 3->3', 'up 5->5', 'up 8->8']);
  });
  it('N from the middle', () => {
    expect(steps(plan(L, clean(3), { kind: 'up', limit: 2 }))).toEqual(['up 5->5', 'up 8->8']);
  });
  it('no change at the top (also for up N)', () => {
    expect(refusal(plan(L, clean(8), { kind: 'up' }))).toEqual({ kind: 'no-change' });
    expect(refusal(plan(L, clean(8), { kind: 'up', limit: 1 }))).toEqual({ kind: 'no-change' });
    expect(refusal(plan(L, clean(3), { kind: 'up', limit: 0 }))).toEqual({ kind: 'no-change' });
  });
  it('refuses a limit longer than what is pending, before running anything', () => {
    expect(refusal(plan(L, clean(3), { kind: 'up', limit: 5 }))).toEqual({ kind: 'short-limit', direction: 'up', requested: 5, available: 2 });
  });
  it('empty folder', () => {
    expect(refusal(plan(listing([]), NONE, { kind: 'up' }))).toEqual({ kind: 'no-migrations' });
  });
  it('the plan ends at the last step', () => {
    const r = plan(L, clean(1), { kind: 'up', limit: 2 });
    expect(r.ok && r.plan.to).toBe('3');
  });
});

describe('plan: down', () => {
  it('down of V records the previous version in the folder, down of the first records -1', () => {
    expect(steps(plan(L, clean(8), { kind: 'down' }))).toEqual(['down 8->5', 'down 5->3', 'down 3->2', 'down 2->1', 'down 1->-1']);
  });
  it('N steps', () => {
    expect(steps(plan(L, clean(5), { kind: 'down', limit: 2 }))).toEqual(['down 5->3', 'down 3->2']);
  });
  it('no change at nothing applied', () => {
    expect(refusal(plan(L, NONE, { kind: 'down' }))).toEqual({ kind: 'no-change' });
    expect(refusal(plan(L, NONE, { kind: 'down', limit: 1 }))).toEqual({ kind: 'no-change' });
  });
  it('short limit', () => {
    expect(refusal(plan(L, clean(2), { kind: 'down', limit: 3 }))).toEqual({ kind: 'short-limit', direction: 'down', requested: 3, available: 2 });
  });
  it('a missing down file still steps (runs nothing, records the version)', () => {
    const r = plan(listing([1, 2], { noDown: [2] }), clean(2), { kind: 'down', limit: 1 });
    expect(r.ok).toBe(true);
    const s = (r.ok && r.plan.steps[0]) as MigrateStep;
    expect(s.file).toBeUndefined();
    expect(s.target).toBe('1');
    expect(stepLabel(s)).toBe('2/d ');
  });
});

describe('plan: goto', () => {
  it('down to a lower version runs the downs of everything above it', () => {
    const r = plan(listing([1, 2, 3, 4, 5, 6, 7]), clean(7), { kind: 'goto', version: '3' });
    expect(steps(r)).toEqual(['down 7->6', 'down 6->5', 'down 5->4', 'down 4->3']);
    expect(r.ok && describePlan(r.plan)).toBe('goto 3 runs: down 7, down 6, down 5, down 4');
  });
  it('up to a higher version', () => {
    expect(steps(plan(L, clean(2), { kind: 'goto', version: '5' }))).toEqual(['up 3->3', 'up 5->5']);
  });
  it('from nothing', () => {
    expect(steps(plan(L, NONE, { kind: 'goto', version: '2' }))).toEqual(['up 1->1', 'up 2->2']);
  });
  it('same version: no change', () => {
    expect(refusal(plan(L, clean(3), { kind: 'goto', version: '3' }))).toEqual({ kind: 'no-change' });
  });
  it('a version not in the folder', () => {
    expect(refusal(plan(L, clean(3), { kind: 'goto', version: '4' }))).toEqual({ kind: 'version-not-found', version: '4', role: 'target' });
  });
});

describe('plan: refusals that protect the database', () => {
  const intents: Intent[] = [{ kind: 'up' }, { kind: 'down' }, { kind: 'up', limit: 1 }, { kind: 'goto', version: '1' }];
  it.each(intents)('dirty database refuses %o', (intent) => {
    expect(refusal(plan(L, { version: '3', dirty: true }, intent))).toEqual({ kind: 'dirty', version: '3' });
  });
  it('dirty message is golang-migrate\'s, with a recovery hint', () => {
    const t = refusalText({ kind: 'dirty', version: '7' });
    expect(t.message).toBe('Dirty database version 7. Fix and force version.');
    expect(t.hint).toContain('ladder force 7');
  });
  it.each(intents)('current version with no file refuses %o', (intent) => {
    expect(refusal(plan(L, clean(4), intent))).toEqual({ kind: 'version-not-found', version: '4', role: 'current' });
  });
  it('duplicate files refuse everything but force/drop', () => {
    const dup = listing([1, 2], { problems: [{ kind: 'duplicate', version: '2', direction: 'up', files: ['2_a.up.sql', '2_b.up.sql'] }] });
    expect(refusal(plan(dup, NONE, { kind: 'up' })).kind).toBe('duplicate');
    expect(refusalText(refusal(plan(dup, NONE, { kind: 'up' }))).message).toMatch(/^duplicate migration file: 2_a.up.sql, 2_b.up.sql/);
    expect(plan(dup, NONE, { kind: 'force', version: '1' }).ok).toBe(true);
  });
});

describe('plan: force and drop', () => {
  it('force works on a dirty database and accepts -1', () => {
    expect(steps(plan(L, { version: '3', dirty: true }, { kind: 'force', version: '2' }))).toEqual(['force 2']);
    expect(steps(plan(L, clean(3), { kind: 'force', version: '-1' }))).toEqual(['force -1']);
  });
  it('force to a version not in the folder is allowed (golang-migrate does not check)', () => {
    expect(steps(plan(L, clean(3), { kind: 'force', version: '99' }))).toEqual(['force 99']);
  });
  it('force below -1 is refused', () => {
    expect(refusal(plan(L, clean(3), { kind: 'force', version: '-2' }))).toEqual({ kind: 'invalid-version', version: '-2' });
  });
  it('drop', () => {
    expect(steps(plan(L, clean(3), { kind: 'drop' }))).toEqual(['drop']);
  });
});
