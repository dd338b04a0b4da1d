import { describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/engine/journal.js';
import type { CandidateReport, RecoveryCase } from '../../src/engine/diagnose.js';
import { durationText, historyLineCount, historyTable } from '../../src/tui/history-lines.js';
import { guideLayout, initialDetailTop, statementLines } from '../../src/tui/recovery-lines.js';
import type { RecoveryItem } from '../../src/tui/recovery-choices.js';

function entry(o: Partial<JournalEntry>): JournalEntry {
  return {
    id: 1,
    version: '1',
    name: 'users',
    direction: 'up',
    targetVersion: '1',
    startedAt: '2026-11-21 06:42:55.123+00',
    finishedAt: null,
    outcome: 'ok',
    error: null,
    errorLine: null,
    errorColumn: null,
    sqlstate: null,
    file: null,
    fileSha256: null,
    dbUser: 'postgres',
    applicationName: 'ladder',
    ladderVersion: '0.1.0',
    durationMs: 12,
    ...o,
  };
}

describe('history lines', () => {
  it('formats steps, outcomes, durations and errors, and counts lines independently of the width', () => {
    const entries = [
      entry({ id: 3, direction: 'force', version: '2', name: '' }),
      entry({ id: 2, version: '2', name: 'posts', outcome: 'failed', error: 'relation "x"\ndoes not exist', errorLine: 5, errorColumn: 13, sqlstate: '42P01', durationMs: 1500 }),
      entry({ id: 1 }),
    ];
    const narrow = historyTable(entries, 78);
    expect(narrow.lines).toHaveLength(historyLineCount(entries));
    expect(narrow.lines[0]!.text).toMatch(/^11-21 06:42:55 ✓ ok\s+force 2\s+12 ms  postgres\/ladder$/);
    expect(narrow.lines[1]!.text).toMatch(/✗ failed\s+up 2 posts\s+1\.5 s/);
    expect(narrow.lines[2]!.text).toBe('  └ line 5:13: relation "x" does not exist (SQLSTATE 42P01)');
    expect(narrow.header).toMatch(/^started\s+outcome\s+step\s+took  by$/);
    const wide = historyTable(entries, 118);
    expect(wide.lines[0]!.text).toMatch(/^#3 2026-11-21 06:42:55 ✓ ok/);
    expect(durationText(null, 'running')).toBe('running');
    expect(durationText(125_000, 'ok')).toBe('2m5s');
  });
});

const report = (n: number, failedAt: number): CandidateReport => ({
  candidate: { direction: 'up', version: '1', name: 'many' } as CandidateReport['candidate'],
  certain: true,
  fileMissing: false,
  error: { message: 'boom', line: failedAt + 1, column: 3 },
  effects: { mode: 'explicit-transactions', fates: [], located: 'position', summary: 'Some of it was kept.', blockedByTransaction: [] },
  statements: Array.from({ length: n }, (_, i) => ({
    index: i,
    startLine: i + 1,
    endLine: i + 1,
    text: `CREATE TABLE t${i} (id int);\n-- more`,
    fate: i < failedAt ? ('kept' as const) : i === failedAt ? ('failed' as const) : ('not-run' as const),
    objects: [{ kind: 'table' as const, name: `t${i}`, action: 'create' as const, existsNow: i < failedAt }],
  })),
  options: [],
});

describe('recovery guide lines', () => {
  it('one line per statement with its fate and range, the failed one with the error position, objects under it', () => {
    const lines = statementLines(report(3, 1));
    expect(lines.map((l) => l.text)).toEqual([
      '✓ line 1  CREATE TABLE t0 (id int);',
      '          create table t0: exists now',
      '✗ line 2  error at 2:3 · CREATE TABLE t1 (id int);',
      '          create table t1: does not exist',
      '· line 3  CREATE TABLE t2 (id int);',
      '          create table t2: does not exist',
    ]);
  });

  it('keeps the whole menu in view and caps the breakdown, opening on the failed statement', () => {
    const diag = { state: { version: '1', dirty: true }, source: 'journal', explanation: 'x', candidates: [report(30, 20)] } as RecoveryCase;
    const items: RecoveryItem[] = Array.from({ length: 5 }, (_, i) => ({ label: `o${i}`, consequence: 'c', choice: { kind: 'option', candidate: 0, option: i } }));
    const g = guideLayout(diag, items, 0, 18, 80, 0);
    expect(g.heads + g.detailRows + (g.gap ? 1 : 0) + items.length + g.consequence.length + g.warning.length).toBeLessThanOrEqual(18);
    expect(g.detailRows).toBeGreaterThanOrEqual(3);
    expect(g.window).toBe(g.detailRows - 1);
    const top = initialDetailTop(g);
    // What PostgreSQL kept heads the breakdown (whole, scrolled with it); the guide opens on the failed statement.
    const kept = g.lines.filter((l) => l.tone === 'summary').length;
    expect(g.lines.slice(0, kept).every((l) => l.tone === 'summary')).toBe(true);
    expect(top).toBe(39 + kept);
    expect(g.lines[top + 1]!.tone).toBe('failed');
    // Tiny: the menu still fits.
    const t = guideLayout(diag, items, 0, 9, 80, 0);
    expect(t.heads + t.detailRows + items.length).toBeLessThanOrEqual(9);
  });
});
