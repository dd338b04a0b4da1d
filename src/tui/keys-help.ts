import type { Info, UiState } from './state.js';
import type { StatusRow } from '../engine/status.js';
import { wrapLines } from './text.js';

export interface KeyHint {
  key: string;
  label: string;
  /** Lower is more important: when the line is short of room, the highest numbers go first. */
  prio: number;
}

/** The keys that work right now, in display order (fitHints drops the least important when short of room). */
export function footerKeys(s: UiState): KeyHint[] {
  const keys = modeKeys(s);
  return s.guarded && s.mode !== 'normal' ? [k('⏸', 'a moment: keys that change things wait', 0), ...keys] : keys;
}

function modeKeys(s: UiState): KeyHint[] {
  switch (s.mode) {
    case 'filter':
      return [k('enter', 'keep filter'), k('esc', 'clear'), k('↑/↓', 'move')];
    case 'prompt':
      return [k('enter', 'show plan'), k('esc', 'cancel')];
    case 'command':
      return [k('tab', 'complete'), k('enter', 'run'), k('esc', 'cancel')];
    case 'detail':
      return [k('esc', 'close'), k('j/k pgup/pgdn g/G', 'scroll'), k('t', 'goto it')];
    case 'paused':
      return [k('space/n', 'next step'), k('c', 'continue'), k('s/esc', 'stop here'), k('L', 'log', 2)];
    case 'help':
      return [k('type', 'filter'), k('esc', s.helpFilter ? 'clear filter' : 'close'), k('↑/↓ pgup/pgdn g/G', 'scroll')];
    case 'log':
      if (s.logSearch.typing) return [k('enter', 'keep'), k('esc', 'clear')];
      return [k('esc/L', 'close'), k('/', 'search', 1), k('j/k pgup/pgdn', 'scroll'), k('g/G', 'oldest/newest'), ...(s.run ? [k('x', 'cancel…')] : [])];
    case 'history':
      return [k('esc/H', 'close'), k('j/k pgup/pgdn', 'scroll'), k('g/G', 'newest/oldest'), k('r', 'reload', 1), ...(s.run ? [k('x', 'cancel…')] : [])];
    case 'planning':
      return [k('esc', 'cancel')];
    case 'plan':
      return s.plan?.confirm.kind === 'name'
        ? [k('enter', 'run if the name matches'), k('esc', 'cancel'), k('↑/↓ pgup/pgdn', 'scroll', 2)]
        : [k('y', 'run'), ...(s.plan && s.plan.steps.length + s.plan.moreSteps > 1 ? [k('s', 'step by step', 1)] : []), k('n/esc', 'cancel'), k('j/k pgup/pgdn', 'scroll', 2)];
    case 'running':
      return [k('x/ctrl-c', 'cancel…'), k('L', 'whole log', 1), k('+/-', 'log size', 3), k('H', 'history', 2), k('j/k', 'move in the list', 2)];
    case 'cancel':
      return [k('↑/↓ enter', 'choose'), k('esc', 'keep running'), k('ctrl-c', 'cancel statement now')];
    case 'recovery':
      if (s.recovery.ledger) return [k('↑/↓ enter', 'choose (each shows its plan first)'), k('esc', 'close'), k('q', 'quit')];
      return [k('↑/↓ enter', 'choose'), k('J/K', 'scroll statements', 1), k('esc', 'close'), k('q', 'quit')];
    case 'normal':
      break;
  }
  const dirty = s.db.state?.dirty === true;
  const keys: KeyHint[] = [];
  const at = s.visible[s.cursor];
  const row = s.info.perRow && at !== undefined ? s.items[at] : undefined;
  if (s.guarded) keys.push(k('⏸', 'a moment: keys that change things wait', 0));
  if (dirty && !s.info.perRow) keys.push(k('f', 'fix dirty', 0));
  if (s.focus === 'sql') keys.push(k('j/k', 'scroll', 1), k('h/l', 'sideways', 3), k('esc', 'list', 1));
  else keys.push(k('↑↓', 'move', 6));
  // At 80 columns the first ones fit; ? lists every key.
  keys.push(k('u/d', 'up/down', 1), k('U/D', 'all', 1), k('t', 'goto', 1));
  if (!s.info.perRow) {
    if (!dirty) keys.push(k('f', 'force', 4));
  } else {
    // Force, forget and repair act on the selected row, in the tool's terms: offered only where they apply.
    // While a row is failed, f shows the ways out of it (as golang-migrate's "fix dirty"), whichever row is selected.
    const force = dirty ? 'fix failed' : row ? FORCE_LABEL[row.state] : undefined;
    if (force) keys.push(k('f', force, dirty ? 0 : row?.state === 'changed' ? 2 : 4));
    if (row && FORGETTABLE.has(row.state)) keys.push(k('F', 'forget', 5));
    if (s.repairable) keys.push(k('R', 'repair', dirty || row?.state === 'changed' ? 1 : 4));
  }
  if (s.filter) keys.push(k('esc', 'clear filter', 1));
  else keys.push(k('/', 'find', 2));
  keys.push(k('tab', '⇅', 2), k('L', 'log', 2), k('H', 'hist', 2), k('⏎', 'detail', 5), k(':', 'cmd', 5), k('r', 'refresh', 7), k('?', 'more', 0), k('q', 'quit', 0));
  return keys;
}

/** What f does to a row of a set-tracking tool, by the row's state (absent: nothing to force). */
const FORCE_LABEL: Partial<Record<StatusRow['state'], string>> = {
  pending: 'mark applied',
  skipped: 'mark applied',
  outdated: 'mark re-run',
  dirty: 'fix failed',
  changed: 'accept change',
};

/** Rows that forget can record as not applied (it runs nothing). */
const FORGETTABLE = new Set<StatusRow['state']>(['applied', 'changed', 'missing', 'dirty', 'outdated']);

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
  const migrate: HelpSection = info.perRow
    ? {
        title: 'Migrate (each shows its plan and SQL, then asks y/N)',
        rows: [
          ['u', `up one migration (the next ${tool} would apply)`],
          ['d', `down one migration (the one ${tool} would roll back)`],
          ['U', 'up every pending migration'],
          ['t', 'goto the selected migration (up or down to it)'],
          ['s', 'in a plan of several steps: run it step by step, pausing after each (space/n next, c continue, s/esc stop)'],
          ['f', 'force the selected row, no SQL: mark a pending one applied, accept a changed checksum; while a row is failed, the ways out of it'],
          ['F', `forget the selected row: record it as not applied, without running its down`],
          ['R', `repair, as ${tool} does it (failed rows, changed checksums); only when there is something to repair`],
          ['D', 'down everything: type the database name to confirm'],
          ['x / ctrl-c', 'while running: stop after this step, or cancel now'],
        ],
      }
    : {
        title: 'Migrate (each shows its plan and SQL, then asks y/N)',
        rows: [
          ['u', 'up one migration'],
          ['d', 'down one migration'],
          ['U', 'up every pending migration'],
          ['t', 'goto the selected migration (up or down to it)'],
          ['s', 'in a plan of several steps: run it step by step, pausing after each (space/n next, c continue, s/esc stop)'],
          ['f', 'force: record a version you type (-1 = none), no SQL'],
          ['D', 'down everything: type the database name to confirm'],
          ['x / ctrl-c', 'while running: stop after this step, or cancel now'],
          ['J / K', 'in the recovery guide: scroll the statement breakdown'],
        ],
      };
  const markers: HelpSection = info.perRow
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
  const history: [string, string] = info.perRow
    ? ['H (h in the list)', `history: the rows of ${info.table}, newest first`]
    : ['H (h in the list)', "history: Ladder's journal of every step, newest first"];
  return [project, MOVE, migrate, { title: 'Other', rows: [['L', 'the whole log, full height (j/k, pgup/pgdn, g/G scroll it; / searches it)'], ['+ / -', 'give the log more or fewer rows (it gets more while a plan runs)'], history, ...OTHER] }, markers];
}

const MOVE: HelpSection = {
  title: 'Move',
  rows: [
    ['j / k, ↓ / ↑', 'next / previous migration'],
    ['enter', "the migration's detail: status, both halves, its journal entries"],
    ['g / G, home / end', 'first / last'],
    ['pgdn / pgup', 'a page down / up'],
    ['/', 'filter by version or name (enter keeps, esc clears)'],
    ['l / →', 'into the SQL: j/k, pgup/pgdn, g/G scroll it; h/l scroll long lines sideways'],
    ['h / ← / esc', 'back to the list (esc also clears a filter)'],
    ['tab', 'show the up or the down SQL'],
    ['J / K', 'scroll the SQL from the list'],
  ],
};

const OTHER: [string, string][] = [
  [':', 'command line, tab completes: :goto 42, :up 2, :down 3, :force 12, :history, :log, :lint, :refresh, :help, :quit'],
  ['r', 're-read the folder and the database (also automatic)'],
  ['?', 'this help; type to filter it, esc clears the filter'],
  ['q / ctrl-c', 'quit (when nothing runs)'],
];

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
