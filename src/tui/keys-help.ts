import type { Info, UiState } from './state.js';
import { allBindings, layerOf, type HelpSectionName } from './key-table.js';
import { wrapLines } from './text.js';
import { capsOfInfo } from './capabilities.js';

export interface KeyHint {
  key: string;
  label: string;
  /** Lower is more important: when the line is short of room, the highest numbers go first. */
  prio: number;
}

/** The keys that work right now, in display order (fitHints drops the least important when short of room): the key table's hints. */
export function footerKeys(s: UiState): KeyHint[] {
  const keys: KeyHint[] = [];
  for (const b of layerOf(s).keys) {
    if (!b.hint || !(b.when?.(s) ?? true)) continue;
    const h = typeof b.hint === 'function' ? b.hint(s) : b.hint;
    if (h) keys.push(k(h.key ?? b.keys.join('/'), h.label, h.prio));
  }
  return s.guarded ? [k('⏸', 'a moment: keys that change things wait', 0), ...keys] : keys;
}

function k(key: string, label: string, prio = 0): KeyHint {
  return { key, label, prio };
}

export function hintWidth(h: KeyHint): number {
  return [...h.key].length + 1 + [...h.label].length + 2;
}

/** The hints that fit in width, most important first, shown in their display order. */
export function fitHints(hints: KeyHint[], width: number): KeyHint[] {
  const byPrio = hints.map((h, i) => ({ h, i })).sort((a, b) => a.h.prio - b.h.prio || a.i - b.i);
  const chosen = new Set<KeyHint>();
  let used = 0;
  for (const { h } of byPrio) {
    if (used + hintWidth(h) > width) break; // strictly by importance: never a minor key in place of a major one
    used += hintWidth(h);
    chosen.add(h);
  }
  return hints.filter((h) => chosen.has(h));
}

export interface HelpSection {
  title: string;
  rows: [string, string][];
}

/** Every key and marker, and (first) what this project is: the tool, why Ladder took it for that, its table and its lock. */
export function helpSections(info: Info): HelpSection[] {
  const tool = info.tool ?? info.format;
  const project: HelpSection = {
    title: `This project: ${tool}`,
    rows: [
      ['database', info.database],
      ['folder', `${info.folder}/`],
      ['table', info.table],
      ...(info.detection ? ([['detected', info.detection]] as [string, string][]) : []),
      ...(info.lockNote ? ([['lock', info.lockNote]] as [string, string][]) : []),
    ],
  };
  const markers: HelpSection = capsOfInfo(info).tracks === 'rows'
    ? {
        title: 'Markers',
        rows: [
          ['✓ / ·', 'applied / pending'],
          ['✗', `failed: ${info.table} holds its row with success = false (f shows the ways out)`],
          ['≠', 'applied, but the file changed since (its checksum differs; R or f accepts it)'],
          ['↻', 'a repeatable migration whose file changed: up runs it again'],
          ['-', `skipped: ${tool} will not run it as things are`],
          ['?', 'applied, but its file is missing from the folder'],
          ['!', 'a problem with the file (the preview says what)'],
          ['R', 'in the version column: a repeatable migration (no version)'],
          ['◀', 'the current (latest applied) version'],
        ],
      }
    : {
        title: 'Markers',
        rows: [
          ['✓ / ·', 'applied / pending'],
          ['✗', 'dirty: a migration failed part-way (f fixes it)'],
          ['?', 'applied, but its file is missing from the folder'],
          ['!', 'a problem: a gap in the numbers, no up or down file'],
          ['◀', 'the current version'],
          ['✓ ↺ ✗ · ?', 'recovery guide: kept, rolled back, failed, not run, unknown'],
        ],
      };
  const keys = (section: HelpSectionName): HelpSection => {
    const rows: [string, string][] = [];
    const seen = new Set<string>();
    for (const b of allBindings()) {
      const h = b.help;
      if (!h || h.section !== section || (h.only && !h.only(info))) continue;
      const key = h.key ?? b.keys.join(' / ');
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push([key, typeof h.text === 'function' ? h.text(info) : h.text]);
    }
    return { title: SECTION_TITLES[section], rows };
  };
  // What changes the database first: it is what a new user opens the help for.
  return [project, keys('Migrate'), keys('Move'), keys('Other'), markers];
}

const SECTION_TITLES: Record<HelpSectionName, string> = {
  Move: 'Move',
  Migrate: 'Migrate (each shows its plan and SQL, then asks y/N)',
  Other: 'Other',
};

export type HelpLine = { kind: 'title'; text: string } | { kind: 'row'; key: string; text: string } | { kind: 'blank' };

/** The help as lines for a panel `width` columns wide (borders included): long texts wrap under their key. */
export function helpLines(info: Info, width: number, filter = ''): { lines: HelpLine[]; keyWidth: number } {
  const q = filter.toLowerCase();
  const sections = helpSections(info)
    .map((sec) => (q ? { ...sec, rows: sec.rows.filter(([key, text]) => key.toLowerCase().includes(q) || text.toLowerCase().includes(q)) } : sec))
    .filter((sec) => sec.rows.length > 0);
  if (sections.length === 0) return { lines: [{ kind: 'title', text: `No key or marker matches "${filter}" (backspace or esc).` }], keyWidth: 4 };
  const keyWidth = Math.min(18, Math.max(...sections.flatMap((sec) => sec.rows.map(([key]) => key.length)))) + 2;
  const room = Math.max(10, width - 2 - 2 - keyWidth);
  const lines: HelpLine[] = [];
  for (const sec of sections) {
    lines.push({ kind: 'title', text: sec.title });
    for (const [key, text] of sec.rows) {
      const wrapped = wrapLines(text, room, Number.MAX_SAFE_INTEGER);
      wrapped.forEach((t, i) => lines.push({ kind: 'row', key: i === 0 ? key : '', text: t }));
    }
    lines.push({ kind: 'blank' });
  }
  return { lines, keyWidth };
}
