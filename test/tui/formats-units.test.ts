import { describe, expect, it } from 'vitest';
import { dbmateRules } from '../../src/formats/dbmate/rules.js';
import { sqlxRules } from '../../src/formats/sqlx/rules.js';
import { flywayRules } from '../../src/formats/flyway/rules.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initialState, reducer, previewRowsOf, sameState, selectedRow } from '../../src/tui/reducer.js';
import { footerKeys, helpLines } from '../../src/tui/keys-help.js';
import { displayVersion, missingHalfText, rowDetail, toolWord } from '../../src/tui/rows.js';
import { trackingTable } from '../../src/tui/history-lines.js';
import { DocumentCache, lineOf, sectionKey } from '../../src/tui/documents.js';
import type { Info, UiState } from '../../src/tui/state.js';
import { capabilitiesFor } from '../../src/tui/capabilities.js';
import type { Status, StatusRow } from '../../src/engine/status.js';
import type { DbState, Migration, SourceListing } from '../../src/formats/types.js';
import type { AppliedMigration } from '../../src/formats/driver.js';

const row = (over: Partial<StatusRow>): StatusRow => ({ version: '1', name: 'one', state: 'applied', up: true, down: true, current: false, problems: [], ...over });

const INFO: Info = {
  database: 'postgres://u:xxxxx@h/db',
  databaseName: 'db',
  format: 'sqlx',
  tool: 'sqlx',
  folder: 'migrations',
  table: '"public"."_sqlx_migrations"',
  caps: capabilitiesFor('rows'),
  toolLocks: false,
  lockNote: 'the sqlx CLI itself takes no lock.',
  detection: '3 of 3 .sql files are named as sqlx names migrations.',
};

/** A set-tracking project in miniature: rows come from a fixed status table, whatever the state. */
function ledgerState(rows: StatusRow[], migrations: Migration[], db: DbState, opts: { repairable?: boolean; info?: Partial<Info> } = {}): UiState {
  const listing: SourceListing = { dir: '/m', migrations, problems: [], ignored: [] };
  return initialState({
    cols: 80,
    rows: 24,
    color: false,
    info: { ...INFO, ...opts.info },
    listing,
    dbState: db,
    now: 0,
    statusOf: (): Status => ({ version: db.version, dirty: db.dirty, rows, problems: [] }),
    canRepair: () => opts.repairable ?? false,
  });
}

const mig = (version: string, name: string, up?: Partial<Migration['up']>, down?: Partial<Migration['down']> | null): Migration => ({
  version,
  name,
  up: { path: `/m/${version}_${name}.sql`, file: `${version}_${name}.sql`, name: `${version}_${name}.sql`, ...up },
  ...(down === null ? {} : { down: { path: `/m/${version}_${name}.sql`, file: `${version}_${name}.sql`, name: `${version}_${name}.sql`, ...down } }),
});

describe('rows: what a row of any tool reads like', () => {
  it('R for repeatables; the tool word only when it says more than the marker', () => {
    expect(displayVersion(row({ version: 'R__view', repeatable: true }))).toBe('R');
    expect(displayVersion(row({ version: '1.1' }))).toBe('1.1');
    expect(toolWord(row({ label: '[X]' }))).toBe('');
    expect(toolWord(row({ label: 'installed' }))).toBe('');
    expect(toolWord(row({ label: 'Success' }))).toBe('');
    expect(toolWord(row({ label: 'Out of Order' }))).toBe('Out of Order');
    expect(toolWord(row({ state: 'changed', label: 'installed (different checksum)' }))).toBe('installed (different checksum)');
  });

  it('detail lines: both checksums of a changed row, the tool words of a failed one, nothing for a plain row', () => {
    const changed = row({ state: 'changed', label: 'installed (different checksum)', checksum: { stored: 'aa11', local: 'bb22' }, problems: ['modified'] });
    expect(rowDetail(changed, 20).map((d) => d.text)).toEqual(['≠ installed (different checksum)', '  checksum stored aa11', '  checksum file   bb22']);
    const failed = row({ state: 'dirty', label: 'Failed', problems: [] });
    expect(rowDetail(failed, 20)).toEqual([{ tone: 'failed', text: '✗ Failed' }]);
    expect(rowDetail(row({}), 20)).toEqual([]);
    expect(rowDetail(row({ problems: ['gap: version 2 is missing'] }), 20)).toEqual([{ tone: 'problem', text: '! gap: version 2 is missing' }]);
    // Never more than a third of the panel; a problem already explained by the preview is not repeated.
    expect(rowDetail(changed, 6)).toHaveLength(2);
    expect(rowDetail(changed, 2)).toEqual([]);
    expect(rowDetail(row({ problems: ['x.sql: broken'] }), 20, 'x.sql: broken. Until then …')).toEqual([]);
  });

  it("explains a missing down in each tool's terms (the tool's rules word it; the TUI adds the key)", () => {
    const fm = (key: string, up: string | null, kind: 'versioned' | 'repeatable' = 'versioned', description = 'x') => ({
      key,
      version: kind === 'repeatable' ? null : key,
      description,
      kind,
      ...(up ? { up: { path: `/m/${up}`, file: up, sql: '', transaction: true } } : {}),
    });
    expect(sqlxRules.noDown(fm('20240101090000', '20240101090000_users.sql'))).toContain('20240101090000_users.sql is a simple migration (no .up.sql/.down.sql pair), so sqlx cannot revert it');
    expect(sqlxRules.noDown(fm('20240102090000', '20240102090000_posts.up.sql'))).toContain('has no 20240102090000_….down.sql: sqlx cannot revert version 20240102090000');
    expect(flywayRules.noDown(fm('1.1', 'V1_1__add_email.sql', 'versioned', 'add email'))).toContain('Flyway cannot undo version 1.1: there is no U1.1__ file for it');
    expect(flywayRules.noDown(fm('R__v', 'R__v.sql', 'repeatable', 'v'))).toContain('Repeatable migrations have no undo');
    expect(dbmateRules.noDown(fm('3', '3_x.sql'))).toBe("dbmate cannot roll back 3_x.sql: it has no down section. Add a '-- migrate:down' section to the file.");
    const simple = mig('20240101090000', 'users', {}, null);
    expect(missingHalfText(INFO, row({ version: simple.version, noDown: 'sqlx cannot revert it.' }), simple, 'down')).toBe(
      'sqlx cannot revert it. Or F (forget) records it as not applied without running anything.',
    );
    const dbmate = { ...INFO, format: 'dbmate', tool: 'dbmate' };
    const broken: Migration = { version: '3', name: 'x' };
    expect(missingHalfText(dbmate, row({ version: '3', problems: ["3_x.sql: dbmate requires each migration to define a down block with '-- migrate:down'"] }), broken, 'down')).toBe(
      "3_x.sql: dbmate requires each migration to define a down block with '-- migrate:down'. Until then dbmate can neither apply nor roll back this file.",
    );
    // Without the tool's words, still a sentence; golang-migrate keeps its own.
    expect(missingHalfText({ ...INFO, format: 'other', tool: 'Other' }, row({ version: '9' }), mig('9', 'n', {}, null), 'down')).toContain('Other has no down migration for 9');
    expect(missingHalfText({ ...INFO, caps: capabilitiesFor('version'), format: 'golang-migrate' }, row({ version: '4' }), mig('4', 'n', {}, null), 'down')).toBe(
      'Version 4 has no down file: stepping down through it runs nothing but records the version.',
    );
  });
});

describe('reducer with a set-tracking tool', () => {
  const migrations = [mig('1', 'a', { sql: '-- migrate:up\nselect 1;\n' }, { sql: '-- migrate:down\nselect -1;\n' }), mig('2', 'b')];
  const db: DbState = { version: '1', dirty: false, applied: [{ key: '1', version: '1', success: true, checksum: 'x' }] };

  it('previews a section under its own key, and the other tab the other section', () => {
    let s = ledgerState([row({ version: '1', current: true }), row({ version: '2', state: 'pending' })], migrations, db);
    expect(s.preview.want).toBe(sectionKey('/m/1_a.sql', 'up'));
    expect(s.preview.path).toBe('/m/1_a.sql');
    expect(s.preview.sql).toBe('-- migrate:up\nselect 1;\n');
    s = reducer(s, { type: 'tab' });
    expect(s.preview.want).toBe('/m/1_a.sql#down');
    expect(s.preview.sql).toBe('-- migrate:down\nselect -1;\n');
    // A migration without sections: the file itself.
    s = reducer(reducer(s, { type: 'tab' }), { type: 'move', delta: 1 });
    expect(s.preview.want).toBe('/m/2_b.sql');
    expect(s.preview.sql).toBeUndefined();
  });

  it('re-derives the rows when the tool\'s rows change but the version does not (a realigned checksum, a forgotten old row)', () => {
    const a: DbState = { version: '3', dirty: false, applied: [{ key: '1', version: '1', success: true, checksum: 'x' }, { key: '3', version: '3', success: true }] };
    expect(sameState(a, { ...a, applied: [...a.applied!] })).toBe(true);
    expect(sameState(a, { ...a, applied: [{ ...a.applied![0]!, checksum: 'y' }, a.applied![1]!] })).toBe(false);
    expect(sameState(a, { ...a, applied: [a.applied![1]!] })).toBe(false);
    expect(sameState({ version: '3', dirty: false }, { version: '3', dirty: false })).toBe(true);
  });

  it('the footer offers f, F and R by the selected row and the state', () => {
    const keys = (s: UiState) => footerKeys(s).map((k) => `${k.key} ${k.label}`);
    const rows = [row({ version: '1', current: true }), row({ version: '2', state: 'pending' }), row({ version: '3', state: 'changed' })];
    let s = ledgerState(rows, [migrations[0]!, migrations[1]!, mig('3', 'c')], db);
    expect(keys(s)).toContain('F forget');
    expect(keys(s).some((k) => k.startsWith('f '))).toBe(false); // applied: nothing to force
    expect(keys(s)).not.toContain('R repair');
    s = reducer(s, { type: 'move', delta: 1 });
    expect(keys(s)).toContain('f mark applied');
    expect(keys(s)).not.toContain('F forget');
    s = ledgerState(rows, [migrations[0]!, migrations[1]!, mig('3', 'c')], db, { repairable: true });
    s = reducer(s, { type: 'move', delta: 2 });
    expect(keys(s)).toEqual(expect.arrayContaining(['f accept change', 'F forget', 'R repair']));
    // A failed row anywhere: f shows the ways out, whichever row is selected.
    const dirty = ledgerState([row({ version: '1', state: 'dirty', current: true }), row({ version: '2', state: 'pending' })], migrations, { ...db, dirty: true }, { repairable: true });
    expect(keys(reducer(dirty, { type: 'move', delta: 1 }))).toEqual(expect.arrayContaining(['f fix failed', 'R repair']));
    // golang-migrate: the typed force, no forget, no repair.
    const golang = ledgerState(rows, [migrations[0]!, migrations[1]!, mig('3', 'c')], db, { info: { caps: capabilitiesFor('version'), format: 'golang-migrate' } });
    expect(keys(golang)).toContain('f force');
    expect(keys(golang).some((k) => k.startsWith('F ') || k.startsWith('R '))).toBe(false);
  });

  it('leaves room for the detail lines above the SQL', () => {
    const changed = row({ version: '1', state: 'changed', label: 'installed (different checksum)', checksum: { stored: 'a', local: 'b' } });
    const s = ledgerState([changed], [migrations[0]!], db);
    expect(selectedRow(s)?.state).toBe('changed');
    const plain = ledgerState([row({ version: '1' })], [migrations[0]!], db);
    expect(previewRowsOf(s)).toBe(previewRowsOf(plain) - 3);
  });

  it('help starts with the project: the tool, why it was detected, the table and the lock note, wrapped to the width', () => {
    const { lines } = helpLines(INFO, 120);
    const narrow = helpLines(INFO, 60).lines;
    const text = lines.map((l) => (l.kind === 'row' ? `${l.key}|${l.text}` : l.kind === 'title' ? `# ${l.text}` : '')).join('\n');
    expect(text.startsWith('# This project: sqlx')).toBe(true);
    expect(text).toContain('detected|3 of 3 .sql files are named as sqlx names');
    expect(text).toContain('lock|the sqlx CLI itself takes no lock.');
    expect(text).toContain('F|forget the selected row');
    expect(narrow.length).toBeGreaterThan(lines.length);
    expect(narrow.every((l) => l.kind !== 'row' || l.text.length <= 60 - 4 - 19)).toBe(true);
  });
});

describe('the tool\'s table as history', () => {
  it('lists rows newest first with the columns the tool keeps (Flyway: rank, time, who; dbmate: versions only)', () => {
    const flyway: AppliedMigration[] = [
      { key: '1', version: '1', description: 'create', success: true, installedRank: 1, installedOn: '2024-01-01 10:00:00.123', installedBy: 'me', executionTimeMs: 12 },
      { key: '2', version: '2', description: 'orders', success: false, installedRank: 2, installedOn: '2024-01-02 10:00:00', installedBy: 'me', executionTimeMs: 3 },
    ];
    const t = trackingTable(flyway, 100);
    expect(t.header).toMatch(/^#\s+installed\s+outcome\s+version\s+description\s+took\s+by$/);
    expect(t.lines.map((l) => l.text)).toEqual([
      expect.stringMatching(/^#2\s+2024-01-02 10:00:00\s+✗ failed\s+2\s+orders\s+3 ms\s+me$/),
      expect.stringMatching(/^#1\s+2024-01-01 10:00:00\s+✓ ok\s+1\s+create\s+12 ms\s+me$/),
    ]);
    const dbmate = trackingTable([{ key: '001', version: '001', success: true }, { key: '010', version: '010', success: true }], 80);
    expect(dbmate.header).toBe('outcome   version');
    expect(dbmate.lines.map((l) => l.text)).toEqual(['✓ ok      010', '✓ ok      001']);
  });
});

describe('section documents', () => {
  it('number a section as in its file, and cache it under its own key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ladder-sec-'));
    const path = join(dir, '1_a.sql');
    const text = '-- header\n\n-- migrate:up\ncreate table a (id int);\n\n-- migrate:down\ndrop table a;\n';
    await writeFile(path, text);
    expect(lineOf(text, '-- migrate:down\ndrop table a;\n')).toBe(5);
    expect(lineOf(text, 'not there')).toBe(0);
    const cache = new DocumentCache();
    const up = cache.sectionSync(sectionKey(path, 'up'), path, '-- migrate:up\ncreate table a (id int);\n\n').doc!;
    expect(up.firstLine).toBe(2);
    expect(up.lineCount).toBe(3);
    expect(up.line(1)).toBe('create table a (id int);');
    const down = await cache.loadSection(sectionKey(path, 'down'), path, '-- migrate:down\ndrop table a;\n');
    expect(down.firstLine).toBe(5);
    expect(down.path).toBe(`${path}#down`);
    expect(cache.sectionSync(sectionKey(path, 'up'), path, '-- migrate:up\ncreate table a (id int);\n\n').doc).toBe(up);
    // The whole file (sqlx, Flyway): no offset to find.
    expect(cache.sectionSync(`${path}#up`, path, text).doc!.firstLine).toBe(0);
  });
});
