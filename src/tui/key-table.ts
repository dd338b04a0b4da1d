import type { StatusRow } from '../engine/status.js';
import type { Command } from './command.js';
import type { Pane } from './pane.js';
import type { Action, Info, Mode, UiState } from './state.js';
import { capsOfInfo } from './capabilities.js';

/**
 * Every key of the TUI, once: what it does in each layer, its footer hint and its line in the help.
 * The router (keymap.ts), the footer and the help (keys-help.ts) all read this table, so they cannot disagree.
 */

export interface HintSpec {
  /** Shown for the key; the binding's keys joined by "/" when absent. */
  key?: string;
  label: string;
  /** Lower is more important: at 80 columns the highest numbers give way first. */
  prio: number;
}

export type HelpSectionName = 'Move' | 'Migrate' | 'Other';

export interface Binding {
  /** Key names (keyName): 'j', 'down', 'pgdn', 'enter', 'esc', 'space', 'ctrl-c', … */
  keys: string[];
  run: (s: UiState) => Command;
  when?: (s: UiState) => boolean;
  hint?: HintSpec | ((s: UiState) => HintSpec | null);
  help?: { section: HelpSectionName; key?: string; text: string | ((info: Info) => string); only?: (info: Info) => boolean };
}

export interface Layer {
  keys: Binding[];
  /** Printable text in a layer that takes typing (filter, prompt, command line, searches). */
  typing?: (s: UiState, text: string) => Command;
}

/** Layers beyond the modes: typing a log search, typing a name to confirm a plan. */
export type LayerName = Mode | 'log-search' | 'plan-typed';

const NONE: Command = { kind: 'none' };
const d = (action: Action): Command => ({ kind: 'dispatch', action });
const scroll = (pane: Pane, by: { lines: number } | { pages: number } | { to: 'start' | 'end' }): Command => d({ type: 'scroll', pane, by });
const bind = (keys: string[], run: (s: UiState) => Command, extra: Omit<Binding, 'keys' | 'run'> = {}): Binding => ({ keys, run, ...extra });
const hint = (label: string, prio: number, key?: string): HintSpec => ({ label, prio, ...(key ? { key } : {}) });

/** j/k, arrows, pgup/pgdn, g/G for a pane; `letters` false while the layer takes typing. */
function scrollKeys(pane: Pane, o: { letters?: (s: UiState) => boolean; hint?: HintSpec; ends?: HintSpec } = {}): Binding[] {
  const letters = o.letters ?? (() => true);
  return [
    bind(['down'], () => scroll(pane, { lines: 1 }), { ...(o.hint ? { hint: o.hint } : {}) }),
    bind(['up'], () => scroll(pane, { lines: -1 })),
    bind(['j'], () => scroll(pane, { lines: 1 }), { when: letters }),
    bind(['k'], () => scroll(pane, { lines: -1 }), { when: letters }),
    bind(['pgdn', 'ctrl-f'], () => scroll(pane, { pages: 1 })),
    bind(['space'], () => scroll(pane, { pages: 1 }), { when: letters }),
    bind(['pgup', 'ctrl-b'], () => scroll(pane, { pages: -1 })),
    bind(['home'], () => scroll(pane, { to: 'start' })),
    bind(['end'], () => scroll(pane, { to: 'end' })),
    bind(['g'], () => scroll(pane, { to: 'start' }), { when: letters, ...(o.ends ? { hint: o.ends } : {}) }),
    bind(['G'], () => scroll(pane, { to: 'end' }), { when: letters }),
  ];
}

/** List movement: idle, while a plan runs and in step mode's pause. */
const LIST_MOVES: Binding[] = [
  bind(['j', 'down'], () => d({ type: 'move', delta: 1 }), { help: { section: 'Move', key: 'j / k, ↓ / ↑', text: 'next / previous migration' } }),
  bind(['k', 'up'], () => d({ type: 'move', delta: -1 })),
  bind(['pgdn', 'ctrl-f'], () => d({ type: 'move-page', pages: 1 }), { help: { section: 'Move', key: 'pgdn / pgup', text: 'a page down / up' } }),
  bind(['pgup', 'ctrl-b'], () => d({ type: 'move-page', pages: -1 })),
  bind(['g', 'home'], () => d({ type: 'move-to', where: 'top' }), { help: { section: 'Move', key: 'g / G, home / end', text: 'first / last' } }),
  bind(['G', 'end'], () => d({ type: 'move-to', where: 'bottom' })),
];

const logGrow = (help = false): Binding[] => [
  bind(['+', '='], () => d({ type: 'log-grow', delta: 2 }), help ? { help: { section: 'Other', key: '+ / -', text: 'give the log more or fewer rows (it gets more while a plan runs)' } } : {}),
  bind(['-'], () => d({ type: 'log-grow', delta: -2 })),
];

const isDirty = (s: UiState) => s.db.state?.dirty === true;
const caps = (i: Info) => capsOfInfo(i);
const rowForce = (s: UiState) => caps(s.info).forceTarget === 'selected-row';
const rowActions = (s: UiState) => caps(s.info).forgetAndRepair;
const focus = (f: UiState['focus']) => (s: UiState) => s.focus === f;
const several = (s: UiState) => !!s.plan && !s.plan.baseline && s.plan.steps.length + s.plan.moreSteps > 1;
/** A plan of the engine's (not a baseline) that runs SQL: d rehearses it. */
const rehearsable = (s: UiState) => !!s.plan && !s.plan.baseline;

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

function rowOf(s: UiState): StatusRow | undefined {
  const at = s.visible[s.cursor];
  return at === undefined ? undefined : s.items[at];
}

function forceHint(s: UiState): HintSpec | null {
  const dirty = isDirty(s);
  if (!rowForce(s)) return dirty ? null : hint('force', 4);
  // While a row is failed, f shows the ways out of it (as golang-migrate's "fix dirty"), whichever row is selected.
  const row = rowOf(s);
  const label = dirty ? 'fix failed' : row ? FORCE_LABEL[row.state] : undefined;
  return label ? hint(label, dirty ? 0 : row?.state === 'changed' ? 2 : 4) : null;
}

const NORMAL: Binding[] = [
  bind(['f'], () => ({ kind: 'force' }), { when: (s) => isDirty(s) && !rowForce(s), hint: hint('fix dirty', 0) }),
  // The SQL pane has the keys.
  bind(['j', 'down'], () => scroll('preview', { lines: 1 }), { when: focus('sql'), hint: hint('scroll', 1, 'j/k') }),
  bind(['k', 'up'], () => scroll('preview', { lines: -1 }), { when: focus('sql') }),
  bind(['pgdn', 'space', 'ctrl-f'], () => scroll('preview', { pages: 1 }), { when: focus('sql') }),
  bind(['pgup', 'ctrl-b'], () => scroll('preview', { pages: -1 }), { when: focus('sql') }),
  bind(['g', 'home'], () => scroll('preview', { to: 'start' }), { when: focus('sql') }),
  bind(['G', 'end'], () => scroll('preview', { to: 'end' }), { when: focus('sql') }),
  bind(['h', 'left'], (s) => (s.previewLeft > 0 ? d({ type: 'preview-left', delta: -8 }) : d({ type: 'focus', focus: 'list' })), { when: focus('sql'), hint: hint('sideways', 3, 'h/l') }),
  bind(['l', 'right'], () => d({ type: 'preview-left', delta: 8 }), { when: focus('sql') }),
  bind(['esc'], () => d({ type: 'focus', focus: 'list' }), { when: focus('sql'), hint: hint('list', 1) }),
  // The log pane of the split has the keys.
  bind(['j', 'down'], () => scroll('log', { lines: 1 }), { when: focus('log'), hint: hint('scroll log', 1, 'j/k') }),
  bind(['k', 'up'], () => scroll('log', { lines: -1 }), { when: focus('log') }),
  bind(['pgdn', 'space', 'ctrl-f'], () => scroll('log', { pages: 1 }), { when: focus('log') }),
  bind(['pgup', 'ctrl-b'], () => scroll('log', { pages: -1 }), { when: focus('log') }),
  bind(['g', 'home'], () => scroll('log', { to: 'start' }), { when: focus('log') }),
  bind(['G', 'end'], () => scroll('log', { to: 'end' }), { when: focus('log'), hint: hint('follow', 3) }),
  bind(['/'], () => d({ type: 'log-search', query: '', typing: true }), { when: focus('log'), hint: hint('search log', 1) }),
  bind(['esc'], (s) => (s.logSearch.query ? d({ type: 'log-search', query: '', typing: false }) : d({ type: 'focus', focus: 'list' })), { when: focus('log'), hint: (s) => hint(s.logSearch.query ? 'clear search' : 'list', 1) }),
  // The list has the keys.
  ...LIST_MOVES.map((b) => ({ ...b, when: focus('list') })),
  bind(['↑↓'], () => NONE, { when: focus('list'), hint: hint('move', 6) }),
  bind(['u'], () => ({ kind: 'plan', intent: { kind: 'up', limit: 1 } }), {
    hint: hint('up/down', 1, 'u/d'),
    help: { section: 'Migrate', text: (i) => (caps(i).tracks === 'rows' ? `up one migration (the next ${toolOf(i)} would apply)` : 'up one migration') },
  }),
  bind(['d'], () => ({ kind: 'plan', intent: { kind: 'down', limit: 1 } }), {
    help: { section: 'Migrate', text: (i) => (caps(i).tracks === 'rows' ? `down one migration (the one ${toolOf(i)} would roll back)` : 'down one migration') },
  }),
  bind(['U'], () => ({ kind: 'plan', intent: { kind: 'up' } }), { hint: hint('all', 1, 'U/D'), help: { section: 'Migrate', text: 'up every pending migration' } }),
  bind(['D'], () => ({ kind: 'plan', intent: { kind: 'down' } }), { help: { section: 'Migrate', text: 'down everything: type the database name to confirm' } }),
  bind(['t'], () => ({ kind: 'goto-selected' }), { hint: hint('goto', 1), help: { section: 'Migrate', text: 'goto the selected migration (up or down to it)' } }),
  bind(['f'], () => ({ kind: 'force' }), {
    hint: forceHint,
    help: {
      section: 'Migrate',
      text: (i) => (caps(i).forceTarget === 'selected-row' ? 'force the selected row, no SQL: mark a pending one applied, accept a changed checksum; while a row is failed, the ways out of it' : 'force: record a version you type (-1 = none), no SQL; while dirty, the recovery guide'),
    },
  }),
  bind(['F'], () => ({ kind: 'forget' }), {
    when: rowActions,
    hint: (s) => {
      const row = rowOf(s);
      return row && FORGETTABLE.has(row.state) ? hint('forget', 5) : null;
    },
    help: { section: 'Migrate', text: 'forget the selected row: record it as not applied, without running its down', only: (i) => caps(i).forgetAndRepair },
  }),
  bind(['R'], () => ({ kind: 'repair' }), {
    when: rowActions,
    hint: (s) => (s.repairable ? hint('repair', isDirty(s) || rowOf(s)?.state === 'changed' ? 1 : 4) : null),
    help: { section: 'Migrate', text: (i) => `repair, as ${toolOf(i)} does it (failed rows, changed checksums); only when there is something to repair`, only: (i) => caps(i).forgetAndRepair },
  }),
  bind(['b'], () => ({ kind: 'baseline' }), {
    hint: hint('baseline', 8),
    help: { section: 'Migrate', text: 'baseline: record the pending migrations whose effects are already in the database as applied, running nothing (:baseline V: up to V); the plan shows the evidence first' },
  }),
  bind(['esc'], () => d({ type: 'filter-close', keep: false }), { when: (s) => s.filter !== '', hint: hint('clear filter', 1) }),
  bind(['/'], () => d({ type: 'filter-open' }), { when: (s) => s.focus !== 'log', hint: (s) => (s.filter ? null : hint('find', 2)), help: { section: 'Move', text: 'filter by version or name (enter keeps, esc clears)' } }),
  bind(['tab'], () => d({ type: 'tab' }), { hint: hint('⇅', 2), help: { section: 'Move', text: 'show the up or the down SQL' } }),
  bind(['l', 'right'], () => d({ type: 'focus', focus: 'sql' }), {
    when: focus('list'),
    help: { section: 'Move', key: 'l / →', text: 'into the SQL: j/k, pgup/pgdn, g/G scroll it; h/l scroll long lines sideways; esc back' },
  }),
  bind(['o'], (s) => d({ type: 'focus', focus: s.focus === 'log' ? 'list' : 'log' }), {
    hint: (s) => (s.focus === 'log' ? null : hint('log pane', 6)),
    help: { section: 'Move', text: 'into the log pane and back: j/k scroll it (it stops following new lines), G follows again, / searches it' },
  }),
  bind(['L'], () => d({ type: 'log-view', open: true }), { hint: hint('log', 2), help: { section: 'Other', text: 'the whole log, full height (j/k, pgup/pgdn, g/G scroll it; / searches it)' } }),
  bind(['H', 'h'], () => ({ kind: 'history-open' }), {
    when: (s) => s.focus === 'list',
    hint: hint('hist', 2, 'H'),
    help: { section: 'Other', key: 'H (h in the list)', text: (i) => (caps(i).tracks === 'rows' ? `history: the rows of ${i.table}, newest first` : "history: Ladder's journal of every step, newest first") },
  }),
  bind(['H'], () => ({ kind: 'history-open' })),
  bind(['enter'], () => ({ kind: 'detail-open' }), { hint: hint('detail', 5, '⏎'), help: { section: 'Move', text: "the migration's detail: status, both halves, its journal entries, what its last run changed" } }),
  bind([':'], () => d({ type: 'command-open' }), {
    hint: hint('cmd', 5),
    help: { section: 'Other', text: 'command line, tab completes: :goto 42, :up 2, :down 3, :force 12, :history, :log, :lint, :drift, :refresh, :help, :quit' },
  }),
  bind(['r'], () => ({ kind: 'refresh' }), { hint: hint('refresh', 7), help: { section: 'Other', text: 're-read the folder and the database (also automatic)' } }),
  bind(['J'], () => scroll('preview', { lines: 1 }), { when: focus('list'), help: { section: 'Move', key: 'J / K', text: 'scroll the SQL from the list' } }),
  bind(['K'], () => scroll('preview', { lines: -1 }), { when: focus('list') }),
  ...logGrow(true),
  bind(['?'], () => d({ type: 'help', open: true }), { hint: hint('more', 0), help: { section: 'Other', text: 'this help; type to filter it, esc clears the filter' } }),
  bind(['q', 'ctrl-c'], () => ({ kind: 'quit' }), { hint: hint('quit', 0, 'q'), help: { section: 'Other', key: 'q / ctrl-c', text: 'quit (when nothing runs)' } }),
];

const toolOf = (i: Info) => i.tool ?? i.format;

const LAYERS: Record<LayerName, Layer> = {
  normal: { keys: NORMAL },
  paused: {
    keys: [
      bind(['space', 'n', 'enter'], () => ({ kind: 'step-next' }), { hint: hint('next step', 0, 'space/n') }),
      bind(['c'], () => ({ kind: 'step-continue' }), { hint: hint('continue', 0) }),
      bind(['s', 'esc', 'q', 'ctrl-c'], () => ({ kind: 'step-stop' }), { hint: hint('stop here', 0, 's/esc') }),
      bind(['L'], () => d({ type: 'log-view', open: true }), { hint: hint('log', 2) }),
      ...LIST_MOVES,
    ],
  },
  command: {
    keys: [
      bind(['tab'], () => ({ kind: 'command-complete' }), { hint: hint('complete', 0) }),
      bind(['enter'], () => ({ kind: 'command-submit' }), { hint: hint('run', 0) }),
      bind(['esc', 'ctrl-c'], () => d({ type: 'command-close' }), { hint: hint('cancel', 0, 'esc') }),
      bind(['backspace'], (s) => (s.command.value === '' ? d({ type: 'command-close' }) : d({ type: 'command-backspace' }))),
    ],
    typing: (_s, text) => d({ type: 'command-type', text }),
  },
  detail: {
    keys: [
      bind(['esc', 'q', 'enter', 'ctrl-c'], () => d({ type: 'detail', open: false }), { hint: hint('close', 0, 'esc') }),
      ...scrollKeys('detail', { hint: hint('scroll', 0, 'j/k pgup/pgdn g/G') }),
      bind(['t'], () => ({ kind: 'goto-selected' }), { hint: hint('goto it', 0) }),
    ],
  },
  'dry-run': {
    keys: [
      bind(['esc', 'q', 'enter', 'd'], () => d({ type: 'dry-run-close' }), { when: (s) => s.dryRun?.status !== 'running', hint: hint('back to the plan', 0, 'esc') }),
      bind(['esc'], () => NONE, { when: (s) => s.dryRun?.status === 'running', hint: hint('rehearsing… (the database is not changed)', 0, '⏳') }),
      bind(['ctrl-c'], () => ({ kind: 'say', text: 'A dry run is rehearsing (nothing will be kept): esc goes back to the plan when it is done.' })),
      ...scrollKeys('dry-run', { hint: hint('scroll', 1, 'j/k pgup/pgdn g/G') }),
    ],
  },
  'log-search': {
    keys: [
      bind(['enter'], () => d({ type: 'log-search', typing: false }), { hint: hint('keep', 0) }),
      bind(['esc', 'ctrl-c'], () => d({ type: 'log-search', query: '', typing: false }), { hint: hint('clear', 0, 'esc') }),
      bind(['backspace'], (s) => d({ type: 'log-search', query: [...s.logSearch.query].slice(0, -1).join(''), typing: true })),
    ],
    typing: (s, text) => d({ type: 'log-search', query: s.logSearch.query + text, typing: true }),
  },
  log: {
    keys: [
      bind(['ctrl-c', 'x'], (s) => (s.run ? { kind: 'cancel-menu' } : { kind: 'quit' }), { when: (s) => !!s.run, hint: hint('cancel…', 0, 'x') }),
      bind(['ctrl-c'], () => ({ kind: 'quit' })),
      bind(['esc'], () => d({ type: 'log-search', query: '', typing: false }), { when: (s) => s.logSearch.query !== '' }),
      bind(['esc', 'L', 'q', 'enter'], () => d({ type: 'log-view', open: false }), { hint: hint('close', 0, 'esc/L') }),
      bind(['/'], () => d({ type: 'log-search', query: '', typing: true }), { hint: hint('search', 1) }),
      ...scrollKeys('log', { hint: hint('scroll', 0, 'j/k pgup/pgdn'), ends: hint('oldest/newest', 0, 'g/G') }),
    ],
  },
  history: {
    keys: [
      bind(['ctrl-c', 'x'], (s) => (s.run ? { kind: 'cancel-menu' } : { kind: 'quit' }), { when: (s) => !!s.run, hint: hint('cancel…', 0, 'x') }),
      bind(['ctrl-c'], () => ({ kind: 'quit' })),
      bind(['esc', 'H', 'h', 'q', 'enter'], () => d({ type: 'history-view', open: false }), { hint: hint('close', 0, 'esc/H') }),
      ...scrollKeys('history', { hint: hint('scroll', 0, 'j/k pgup/pgdn'), ends: hint('newest/oldest', 0, 'g/G') }),
      bind(['r'], () => ({ kind: 'history-open' }), { hint: hint('reload', 1) }),
    ],
  },
  running: {
    keys: [
      bind(['x', 'ctrl-c'], () => ({ kind: 'cancel-menu' }), { hint: hint('cancel…', 0, 'x/ctrl-c'), help: { section: 'Migrate', key: 'x / ctrl-c', text: 'while running: stop after this step, or cancel now' } }),
      bind(['L'], () => d({ type: 'log-view', open: true }), { hint: hint('whole log', 1) }),
      ...logGrow().map((b, i) => (i === 0 ? { ...b, hint: hint('log size', 3, '+/-') } : b)),
      bind(['H'], () => ({ kind: 'history-open' }), { hint: hint('history', 2) }),
      bind(['q'], () => ({ kind: 'say', text: 'A plan is running: x cancels it first (q quits once it has stopped).' })),
      ...LIST_MOVES.map((b, i) => (i === 0 ? { ...b, hint: hint('move in the list', 2, 'j/k') } : b)),
    ],
  },
  cancel: {
    keys: [
      bind(['↑/↓ enter'], () => NONE, { hint: hint('choose', 0) }),
      bind(['esc'], () => d({ type: 'cancel-menu', open: false }), { hint: hint('keep running', 0) }),
      bind(['ctrl-c'], () => ({ kind: 'cancel-now' }), { hint: hint('cancel statement now', 0) }),
    ],
  },
  recovery: {
    // j/k, arrows, enter and digits belong to the menu (ink-select-input); J/K and pgup/pgdn scroll the statement breakdown.
    keys: [
      bind(['↑/↓ enter'], () => NONE, { hint: (s) => hint(s.recovery.ledger ? 'choose (each shows its plan first)' : 'choose', 0) }),
      bind(['J'], () => scroll('recovery', { lines: 1 }), {
        when: (s) => !s.recovery.ledger,
        hint: hint('scroll statements', 1, 'J/K'),
        help: { section: 'Migrate', key: 'J / K', text: 'in the recovery guide: scroll the statement breakdown', only: (i) => caps(i).tracks === 'version' },
      }),
      bind(['K'], () => scroll('recovery', { lines: -1 })),
      bind(['pgdn'], () => scroll('recovery', { pages: 1 })),
      bind(['pgup'], () => scroll('recovery', { pages: -1 })),
      bind(['esc'], () => d({ type: 'recovery', open: false }), { hint: hint('close', 0) }),
      bind(['q', 'ctrl-c'], () => ({ kind: 'quit' }), { hint: hint('quit', 0, 'q') }),
    ],
  },
  tool: {
    // ↑/↓, digits and enter belong to the menu.
    keys: [
      bind(['↑/↓ enter'], () => NONE, { hint: hint('choose the tool', 0) }),
      bind(['esc'], () => d({ type: 'tool-close' }), { hint: hint('not now (nothing changes)', 0) }),
      bind(['q', 'ctrl-c'], () => ({ kind: 'quit' }), { hint: hint('quit', 0, 'q') }),
    ],
  },
  help: {
    keys: [
      bind(['type'], () => NONE, { hint: hint('filter', 0) }),
      bind(['ctrl-c'], () => ({ kind: 'quit' })),
      // esc clears a typed filter first (re-opening the help resets it), then closes.
      bind(['esc'], (s) => d({ type: 'help', open: s.helpFilter !== '' }), { hint: (s) => hint(s.helpFilter ? 'clear filter' : 'close', 0) }),
      bind(['?', 'enter'], () => d({ type: 'help', open: false })),
      bind(['q'], () => d({ type: 'help', open: false }), { when: (s) => !s.helpFilter }),
      ...scrollKeys('help', { letters: (s) => !s.helpFilter, hint: hint('scroll', 0, '↑/↓ pgup/pgdn g/G') }),
      bind(['backspace'], () => d({ type: 'help-backspace' })),
    ],
    typing: (_s, text) => d({ type: 'help-type', text }),
  },
  filter: {
    keys: [
      bind(['enter'], () => d({ type: 'filter-close', keep: true }), { hint: hint('keep filter', 0) }),
      bind(['esc'], () => d({ type: 'filter-close', keep: false }), { hint: hint('clear', 0) }),
      bind(['down'], () => d({ type: 'move', delta: 1 }), { hint: hint('move', 0, '↑/↓') }),
      bind(['up'], () => d({ type: 'move', delta: -1 })),
      bind(['pgdn'], () => d({ type: 'move-page', pages: 1 })),
      bind(['pgup'], () => d({ type: 'move-page', pages: -1 })),
      bind(['ctrl-c'], () => ({ kind: 'quit' })),
      bind(['backspace'], () => d({ type: 'filter-backspace' })),
    ],
    typing: (_s, text) => d({ type: 'filter-type', text }),
  },
  prompt: {
    keys: [
      bind(['enter'], () => ({ kind: 'force-submit' }), { hint: hint('show plan', 0) }),
      bind(['esc'], () => d({ type: 'prompt-close' }), { hint: hint('cancel', 0) }),
      bind(['ctrl-c'], () => ({ kind: 'quit' })),
      bind(['backspace'], () => d({ type: 'prompt-backspace' })),
    ],
    typing: (_s, text) => d({ type: 'prompt-type', text }),
  },
  planning: {
    keys: [bind(['esc', 'q', 'n'], () => ({ kind: 'abort-planning' }), { hint: hint('cancel', 0, 'esc') }), bind(['ctrl-c'], () => ({ kind: 'quit' }))],
  },
  'plan-typed': {
    keys: [
      bind(['enter'], () => ({ kind: 'confirm' }), { hint: (s) => hint(s.plan?.confirm.kind === 'name' && s.plan.confirm.expected !== s.info.databaseName ? 'run if it matches' : 'run if the name matches', 0) }),
      bind(['esc'], () => ({ kind: 'decline' }), { hint: hint('cancel', 0) }),
      // Letters are the typed answer here, so the dry run is ctrl-d.
      bind(['ctrl-d'], () => ({ kind: 'dry-run' }), { when: rehearsable, hint: hint('dry run', 1) }),
      bind(['ctrl-c'], () => ({ kind: 'quit' })),
      ...scrollKeys('plan', { letters: () => false, hint: hint('scroll', 2, '↑/↓ pgup/pgdn') }),
      bind(['backspace'], () => d({ type: 'confirm-backspace' })),
    ],
    typing: (_s, text) => d({ type: 'confirm-type', text }),
  },
  plan: {
    keys: [
      bind(['y', 'Y'], () => ({ kind: 'confirm' }), { hint: (s) => hint(s.plan?.baseline ? 'record' : 'run', 0) }),
      bind(['s'], () => ({ kind: 'step-confirm' }), {
        when: several,
        hint: hint('step by step', 1),
        help: { section: 'Migrate', text: 'in a plan of several steps: run it step by step, pausing after each (space/n next, c continue, s/esc stop)' },
      }),
      bind(['d'], () => ({ kind: 'dry-run' }), {
        when: rehearsable,
        hint: hint('dry run', 1),
        help: { section: 'Migrate', key: 'd (in a plan)', text: 'dry run: rehearse it in a transaction that is rolled back (notices, duration, schema diff, would it fail); esc back to the plan' },
      }),
      bind(['n', 'N', 'q', 'esc', 'enter'], () => ({ kind: 'decline' }), { hint: hint('cancel', 0, 'n/esc') }),
      bind(['ctrl-c'], () => ({ kind: 'quit' })),
      ...scrollKeys('plan', { hint: hint('scroll', 2, 'j/k pgup/pgdn') }),
    ],
  },
};

export function layerName(s: UiState): LayerName {
  if (s.logSearch.typing && (s.mode === 'log' || (s.mode === 'normal' && s.focus === 'log'))) return 'log-search';
  if (s.mode === 'plan' && s.plan?.confirm.kind === 'name') return 'plan-typed';
  return s.mode;
}

export function layerOf(s: UiState): Layer {
  return LAYERS[layerName(s)];
}

/** Every layer's bindings, for the help. */
export function allBindings(): Binding[] {
  return Object.values(LAYERS).flatMap((l) => l.keys);
}
