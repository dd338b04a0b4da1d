import { describe, expect, it } from 'vitest';
import { allBindings, layerOf } from '../../src/tui/key-table.js';
import { helpLines, footerKeys } from '../../src/tui/keys-help.js';
import { routeKey, keyName } from '../../src/tui/keymap.js';
import { menuItemLines, menuRows } from '../../src/tui/menu-lines.js';
import { initialState } from '../../src/tui/reducer.js';
import type { Info, UiState } from '../../src/tui/state.js';

const INFO: Info = { database: 'postgres://u:xxxxx@h/db', databaseName: 'db', format: 'golang-migrate', folder: 'migrations', table: '"public"."schema_migrations"' };
const m = (v: string, name: string) => ({ version: v, name, up: { path: `/m/${v}_${name}.up.sql` }, down: { path: `/m/${v}_${name}.down.sql` } });
const state = (o: Partial<UiState> = {}): UiState => ({
  ...initialState({ cols: 80, rows: 24, color: false, info: INFO, listing: { dir: '/m', migrations: [m('1', 'a'), m('2', 'b')], problems: [] } as never, dbState: { version: '-1', dirty: false } as never, now: 0 }),
  ...o,
});

describe('one key table for the router, the footer and the help', () => {
  it('the help lists every binding that has help text, in its words', () => {
    const text = helpLines(INFO, 200).lines.map((l) => (l.kind === 'row' ? `${l.key} ${l.text}` : '')).join('\n');
    const shown = allBindings().filter((b) => b.help && (!b.help.only || b.help.only(INFO)));
    expect(shown.length).toBeGreaterThan(20);
    for (const b of shown) expect(text).toContain(typeof b.help!.text === 'function' ? b.help!.text(INFO) : b.help!.text);
  });

  it('every footer hint belongs to a binding that the router runs in that layer', () => {
    for (const s of [state(), state({ mode: 'running' }), state({ focus: 'sql' }), state({ focus: 'log' }), state({ mode: 'log' }), state({ mode: 'help' })]) {
      const hinted = layerOf(s).keys.filter((b) => b.hint && (b.when?.(s) ?? true));
      expect(footerKeys(s).length).toBe(hinted.filter((b) => (typeof b.hint === 'function' ? b.hint(s) : b.hint) !== null).length);
      for (const b of hinted) {
        const name = b.keys[0]!;
        if (name.includes(' ') || name === '↑↓' || name === 'type') continue; // read by a menu or a text field
        const cmd = routeKey(s, name.length === 1 ? name : '', keyOf(name));
        expect(cmd).toEqual(b.run(s));
      }
    }
  });

  it('names keys as the table spells them', () => {
    expect(keyName('', { downArrow: true })).toBe('down');
    expect(keyName('c', { ctrl: true })).toBe('ctrl-c');
    expect(keyName(' ', {})).toBe('space');
    expect(keyName('G', { shift: true })).toBe('G');
  });
});

describe('menus wrap their items whole', () => {
  it('a long way out takes two rows, with nothing cut', () => {
    const label = 'if up 12 failed: Undo the partial work: run 12_add_audit_columns_and_backfill.down.sql, then record version 11';
    const lines = menuItemLines(0, label, 78);
    expect(lines.length).toBe(2);
    expect(lines.join(' ')).not.toContain('…');
    expect(lines.join(' ').replace(/\s+/g, ' ')).toBe(`1. ${label}`);
    expect(lines.every((l) => l.length <= 76)).toBe(true);
    expect(menuRows([label, 'Leave it'], 78)).toBe(3);
  });
});

function keyOf(name: string) {
  const map: Record<string, object> = { down: { downArrow: true }, up: { upArrow: true }, enter: { return: true }, esc: { escape: true }, tab: { tab: true }, pgdn: { pageDown: true }, backspace: { backspace: true } };
  if (map[name]) return map[name]!;
  if (name.startsWith('ctrl-')) return { ctrl: true };
  return {};
}
