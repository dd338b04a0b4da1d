import type { UiState } from './state.js';

export interface KeyHint {
  key: string;
  label: string;
  /** Lower is more important: when the line is short of room, the highest numbers go first. */
  prio: number;
}

/** The keys that work right now, in display order (fitHints drops the least important when short of room). */
export function footerKeys(s: UiState): KeyHint[] {
  switch (s.mode) {
    case 'filter':
      return [k('enter', 'keep filter'), k('esc', 'clear'), k('↑/↓', 'move')];
    case 'prompt':
      return [k('enter', 'show plan'), k('esc', 'cancel')];
    case 'help':
      return [k('esc/?', 'close'), k('j/k', 'scroll')];
    case 'log':
      return [k('esc/L', 'close'), k('j/k pgup/pgdn', 'scroll'), k('g/G', 'oldest/newest'), ...(s.run ? [k('x', 'cancel…')] : [])];
    case 'history':
      return [k('esc/H', 'close'), k('j/k pgup/pgdn', 'scroll'), k('g/G', 'newest/oldest'), k('r', 'reload', 1), ...(s.run ? [k('x', 'cancel…')] : [])];
    case 'planning':
      return [k('esc', 'cancel')];
    case 'plan':
      return s.plan?.confirm.kind === 'name'
        ? [k('enter', 'run if the name matches'), k('esc', 'cancel'), k('↑/↓ pgup/pgdn', 'scroll', 2)]
        : [k('y', 'run'), k('n/esc', 'cancel'), k('j/k pgup/pgdn', 'scroll', 2)];
    case 'running':
      return [k('x/ctrl-c', 'cancel…'), k('L', 'whole log', 1), k('H', 'history', 2), k('j/k', 'move in the list', 2)];
    case 'cancel':
      return [k('↑/↓ enter', 'choose'), k('esc', 'keep running'), k('ctrl-c', 'cancel statement now')];
    case 'recovery':
      return [k('↑/↓ enter', 'choose'), k('J/K', 'scroll statements', 1), k('esc', 'close'), k('q', 'quit')];
    case 'normal':
      break;
  }
  const dirty = s.db.state?.dirty === true;
  const keys: KeyHint[] = [];
  if (dirty) keys.push(k('f', 'fix dirty', 0));
  if (s.focus === 'sql') keys.push(k('j/k', 'scroll', 1), k('h/esc', 'list', 1));
  else keys.push(k('↑↓', 'move', 2));
  keys.push(k('u', 'up', 1), k('d', 'down', 1), k('U', 'all up', 1), k('D', 'all down', 4), k('⏎', 'goto', 1));
  if (!dirty) keys.push(k('f', 'force', 3));
  keys.push(k('/', 'filter', 3));
  if (s.filter) keys.push(k('esc', 'clear filter', 2));
  keys.push(k('tab', 'up/down', 5));
  if (s.focus === 'list') keys.push(k('l', 'scroll SQL', 6));
  keys.push(k('L', 'log', 6), k('H', 'history', 5), k('r', 'refresh', 7), k('?', 'help'), k('q', 'quit'));
  return keys;
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

export const HELP: HelpSection[] = [
  {
    title: 'Move',
    rows: [
      ['j / k, ↓ / ↑', 'next / previous migration'],
      ['g / G, home / end', 'first / last'],
      ['pgdn / pgup', 'a page down / up'],
      ['/', 'filter by version or name (enter keeps, esc clears)'],
      ['l / →', 'into the SQL: j/k, pgup/pgdn, g/G scroll it'],
      ['h / ← / esc', 'back to the list (esc also clears a filter)'],
      ['tab', 'show the up or the down file'],
      ['J / K', 'scroll the SQL from the list'],
    ],
  },
  {
    title: 'Migrate (each shows its plan and SQL, then asks y/N)',
    rows: [
      ['u', 'up one migration'],
      ['d', 'down one migration'],
      ['U', 'up every pending migration'],
      ['enter / t', 'goto the selected migration (up or down to it)'],
      ['f', 'force: record a version you type (-1 = none), no SQL'],
      ['D', 'down everything: type the database name to confirm'],
      ['x / ctrl-c', 'while running: stop after this step, or cancel now'],
      ['J / K', 'in the recovery guide: scroll the statement breakdown'],
    ],
  },
  {
    title: 'Other',
    rows: [
      ['L', 'the whole log, full height (j/k, pgup/pgdn, g/G scroll it)'],
      ['H (h in the list)', "history: Ladder's journal of every step, newest first"],
      ['r', 're-read the folder and the database (also automatic)'],
      ['?', 'this help'],
      ['q / ctrl-c', 'quit (when nothing runs)'],
    ],
  },
  {
    title: 'Markers',
    rows: [
      ['✓ / ·', 'applied / pending'],
      ['✗', 'dirty: a migration failed part-way (f fixes it)'],
      ['?', 'applied, but its file is missing from the folder'],
      ['!', 'a problem: a gap in the numbers, no up or down file'],
      ['◀', 'the current version'],
      ['✓ ↺ ✗ · ?', 'recovery guide: kept, rolled back, failed, not run, unknown'],
    ],
  },
];
