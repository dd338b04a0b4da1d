import { describe, expect, it } from 'vitest';
import { initialState, reducer, selectedRow, layoutOf } from '../../src/tui/reducer.js';
import { routeKey } from '../../src/tui/keymap.js';
import type { Command } from '../../src/tui/command.js';
import { footerKeys } from '../../src/tui/keys-help.js';
import { planLineCount, planWindow } from '../../src/tui/plan-lines.js';
import { createDocument } from '../../src/tui/sql-document.js';
import type { Action, PlanView, UiState } from '../../src/tui/state.js';
import type { DbState, Migration, SourceListing } from '../../src/formats/types.js';

function listing(n: number, opts: { noDown?: string[]; skip?: string[] } = {}): SourceListing {
  const migrations: Migration[] = [];
  for (let i = 1; i <= n; i++) {
    const v = String(i);
    if (opts.skip?.includes(v)) continue;
    const name = `m${v}`;
    const file = (dir: string) => ({ path: `/mig/${v}_${name}.${dir}.sql`, file: `${v}_${name}.${dir}.sql`, name });
    migrations.push({ version: v, name, up: file('up'), down: opts.noDown?.includes(v) ? undefined : file('down') });
  }
  const problems: SourceListing['problems'] = (opts.noDown ?? []).map((version) => ({ kind: 'missing-down' as const, version }));
  return { dir: '/mig', migrations, problems, ignored: [] };
}

function state(n = 50, db: DbState | null = { version: '3', dirty: false }, l = listing(n)): UiState {
  return initialState({
    cols: 80,
    rows: 24,
    color: false,
    info: { database: 'postgres://u:xxxxx@h/db', databaseName: 'db', format: 'golang-migrate', folder: 'mig', table: 'schema_migrations' },
    listing: l,
    dbState: db,
    now: 0,
  });
}

const run = (s: UiState, ...actions: Action[]) => actions.reduce(reducer, s);

describe('reducer', () => {
  it('opens on the current version with its up file as the preview', () => {
    const s = state();
    expect(selectedRow(s)?.version).toBe('3');
    expect(s.preview.want).toBe('/mig/3_m3.up.sql');
    expect(s.items.filter((r) => r.state === 'applied')).toHaveLength(3);
  });

  it('moves, pages, jumps, and keeps the cursor in the window', () => {
    const s0 = state(10_000);
    const rows = layoutOf(s0).listRows;
    let s = run(s0, { type: 'move-to', where: 'bottom' });
    expect(s.cursor).toBe(9_999);
    expect(s.listTop).toBe(10_000 - rows);
    s = run(s, { type: 'move-page', pages: -1 });
    expect(s.cursor).toBe(9_999 - rows);
    s = run(s, { type: 'move-to', where: 'top' }, { type: 'move', delta: -1 });
    expect(s.cursor).toBe(0);
    expect(s.listTop).toBe(0);
    s = run(s, { type: 'move', delta: rows });
    expect(s.listTop).toBe(1);
  });

  it('returns the same state when nothing changes (no re-render)', () => {
    const s = state();
    expect(reducer(s, { type: 'db-state', state: { version: '3', dirty: false }, lockHolder: null })).toBe(s);
    expect(reducer(s, { type: 'resize', cols: 80, rows: 24 })).toBe(s);
  });

  it('filters by version or name and keeps the selected migration when it still matches', () => {
    let s = run(state(), { type: 'filter-open' }, { type: 'filter-type', text: '3' });
    expect(s.mode).toBe('filter');
    expect(s.visible.map((i) => s.items[i]!.version)).toEqual(['3', '13', '23', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '43']);
    expect(selectedRow(s)?.version).toBe('3');
    s = run(s, { type: 'filter-type', text: '9' });
    expect(s.visible.map((i) => s.items[i]!.version)).toEqual(['39']);
    expect(selectedRow(s)?.version).toBe('39');
    s = run(s, { type: 'filter-close', keep: true });
    expect(s.mode).toBe('normal');
    expect(s.filter).toBe('39');
    s = run(s, { type: 'filter-close', keep: false });
    expect(s.visible).toHaveLength(50);
    expect(selectedRow(s)?.version).toBe('39');
    s = run(s, { type: 'filter-open' }, { type: 'filter-type', text: 'nothing' });
    expect(selectedRow(s)).toBeUndefined();
    expect(s.preview.absent).toMatch(/No migration matches/);
  });

  it('switches the preview between up and down and explains a missing half', () => {
    const s0 = state(5, { version: '2', dirty: false }, listing(5, { noDown: ['2'] }));
    const s = run(s0, { type: 'tab' });
    expect(s.tab).toBe('down');
    expect(s.preview.want).toBeNull();
    expect(s.preview.absent).toMatch(/no down file/);
    expect(s.items.find((r) => r.version === '2')?.problems.length).toBe(1);
    const back = run(s, { type: 'tab' });
    expect(back.preview.want).toBe('/mig/2_m2.up.sql');
  });

  it('shows an applied version whose file is missing', () => {
    const s = state(5, { version: '9', dirty: false });
    const row = s.items.find((r) => r.version === '9');
    expect(row?.state).toBe('missing');
    expect(selectedRow(s)?.version).toBe('9');
    expect(s.preview.absent).toMatch(/no file/);
  });

  it('keeps a loaded document and clamps scrolling to it', () => {
    const doc = createDocument(Array.from({ length: 100 }, (_, i) => `SELECT ${i};`).join('\n'), '/mig/3_m3.up.sql');
    let s = run(state(), { type: 'preview-loaded', path: '/mig/3_m3.up.sql', doc });
    expect(s.preview.status).toBe('ready');
    s = run(s, { type: 'scroll', pane: 'preview', by: { to: 'end' } });
    expect(s.preview.top).toBe(100 - layoutOf(s).previewRows);
    s = run(s, { type: 'scroll', pane: 'preview', by: { lines: 5 } });
    expect(s.preview.top).toBe(100 - layoutOf(s).previewRows);
    s = run(s, { type: 'preview-loaded', path: '/elsewhere.sql', doc });
    expect(s.preview.doc).toBe(doc); // a stale load for another file is ignored
    s = run(s, { type: 'move', delta: 1 });
    expect(s.preview.doc).toBeNull();
    expect(s.preview.status).toBe('loading');
    expect(s.preview.top).toBe(0);
  });

  it('stays at the end (G) when the whole of a partly read file arrives', () => {
    const path = '/mig/3_m3.up.sql';
    const text = Array.from({ length: 1000 }, (_, i) => `SELECT ${i};`).join('\n');
    const head = createDocument(text.slice(0, 2000).replace(/\n[^\n]*$/, '\n'), path, 'head', text.length, true);
    const full = createDocument(text, path, 'full');
    let s = run(state(), { type: 'preview-loaded', path, doc: head }, { type: 'scroll', pane: 'preview', by: { to: 'end' } });
    expect(s.preview.top).toBe(head.lineCount - layoutOf(s).previewRows);
    s = run(s, { type: 'preview-loaded', path, doc: full });
    expect(s.preview.top).toBe(1000 - layoutOf(s).previewRows);
    s = run(s, { type: 'preview-loaded', path, doc: head }); // a late head never replaces the whole file
    expect(s.preview.doc).toBe(full);
  });

  it('recomputes rows when the database moves and when the folder changes', () => {
    let s = run(state(), { type: 'db-state', state: { version: '5', dirty: true }, lockHolder: '"migrate" (pid 1)' });
    expect(s.items.find((r) => r.current)?.state).toBe('dirty');
    expect(s.db.lockHolder).toContain('migrate');
    s = run(s, { type: 'listing', listing: listing(60) });
    expect(s.items).toHaveLength(60);
    expect(selectedRow(s)?.version).toBe('3');
  });

  it('scrolls the full-height log and keeps the same lines in view as new ones arrive', () => {
    const lines = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ id: from + i, kind: 'notice' as const, text: `n ${from + i}`, at: 0 }));
    let s = run(state(), { type: 'log', lines: lines(100), total: 100 }, { type: 'log-view', open: true });
    expect(s.mode).toBe('log');
    s = run(s, { type: 'scroll', pane: 'log', by: { lines: -5 } });
    expect(s.logBack).toBe(5);
    s = run(s, { type: 'log', lines: lines(103), total: 103 });
    expect(s.logBack).toBe(8);
    s = run(s, { type: 'scroll', pane: 'log', by: { to: 'start' } });
    expect(s.logBack).toBe(103 - (layoutOf(s).main + layoutOf(s).log - 2));
    s = run(s, { type: 'scroll', pane: 'log', by: { to: 'end' } }, { type: 'log-view', open: false });
    expect(s.mode).toBe('normal');
  });

  it('runs: progress, stop and cancel flags, end', () => {
    let s = run(state(), { type: 'run-start', title: 'up', labels: ['4/u m4', '5/u m5'], now: 1000 });
    expect(s.mode).toBe('running');
    s = run(s, { type: 'run-progress', started: true, index: 1, stepStartedAt: 1500, completed: 1, results: [{ index: 0, ok: true, text: '4/u m4 (1ms)' }], now: 1600 });
    expect(s.run?.completed).toBe(1);
    expect(s.run?.results).toHaveLength(1);
    s = run(s, { type: 'cancel-menu', open: true });
    expect(s.mode).toBe('cancel');
    s = run(s, { type: 'run-stop-requested' });
    expect(s.mode).toBe('running');
    expect(s.run?.stopRequested).toBe(true);
    s = run(s, { type: 'run-end' });
    expect(s.mode).toBe('normal');
    expect(s.run).toBeNull();
  });
});

describe('input router', () => {
  const key = (input: string, k: Record<string, boolean> = {}) => routeKey(state(), input, k);
  const kinds = (c: Command) => (c.kind === 'dispatch' ? c.action.type : c.kind);

  it('maps the normal keys', () => {
    expect(key('j')).toEqual({ kind: 'dispatch', action: { type: 'move', delta: 1 } });
    expect(key('', { downArrow: true })).toEqual({ kind: 'dispatch', action: { type: 'move', delta: 1 } });
    expect(key('k')).toEqual({ kind: 'dispatch', action: { type: 'move', delta: -1 } });
    expect(key('G', { shift: true })).toEqual({ kind: 'dispatch', action: { type: 'move-to', where: 'bottom' } });
    expect(key('g')).toEqual({ kind: 'dispatch', action: { type: 'move-to', where: 'top' } });
    expect(key('', { pageDown: true })).toEqual({ kind: 'dispatch', action: { type: 'move-page', pages: 1 } });
    expect(key('u')).toEqual({ kind: 'plan', intent: { kind: 'up', limit: 1 } });
    expect(key('d')).toEqual({ kind: 'plan', intent: { kind: 'down', limit: 1 } });
    expect(key('U', { shift: true })).toEqual({ kind: 'plan', intent: { kind: 'up' } });
    expect(key('D', { shift: true })).toEqual({ kind: 'plan', intent: { kind: 'down' } });
    expect(kinds(key('', { return: true }))).toBe('detail-open');
    expect(kinds(key('t'))).toBe('goto-selected');
    expect(kinds(key(':'))).toBe('command-open');
    expect(kinds(key('f'))).toBe('force');
    expect(kinds(key('/'))).toBe('filter-open');
    expect(kinds(key('?'))).toBe('help');
    expect(kinds(key('', { tab: true }))).toBe('tab');
    expect(kinds(key('q'))).toBe('quit');
    expect(kinds(key('c', { ctrl: true }))).toBe('quit');
    expect(kinds(key('l'))).toBe('focus');
  });

  it('routes by mode: plan, running, cancel menu, filter, prompt', () => {
    const plan = { ...state(), mode: 'plan' as const, plan: { confirm: { kind: 'yes' } } as PlanView };
    expect(kinds(routeKey(plan, 'y', {}))).toBe('confirm');
    expect(kinds(routeKey(plan, 'n', {}))).toBe('decline');
    expect(kinds(routeKey(plan, '', { escape: true }))).toBe('decline');
    expect(kinds(routeKey(plan, '', { return: true }))).toBe('decline');
    expect(routeKey(plan, 'j', {})).toEqual({ kind: 'dispatch', action: { type: 'scroll', pane: 'plan', by: { lines: 1 } } });
    expect(kinds(routeKey(plan, 'u', {}))).toBe('none');
    const named = { ...plan, plan: { confirm: { kind: 'name', expected: 'db' } } as PlanView };
    expect(kinds(routeKey(named, 'y', {}))).toBe('confirm-type');
    expect(kinds(routeKey(named, '', { return: true }))).toBe('confirm');
    const running = { ...state(), mode: 'running' as const };
    expect(kinds(routeKey(running, 'x', {}))).toBe('cancel-menu');
    expect(kinds(routeKey(running, 'c', { ctrl: true }))).toBe('cancel-menu');
    expect(kinds(routeKey(running, 'q', {}))).toBe('say');
    expect(kinds(routeKey(running, 'u', {}))).toBe('none');
    expect(kinds(routeKey(running, 'j', {}))).toBe('move');
    expect(kinds(routeKey(running, '', { tab: true }))).toBe('none'); // the run panel replaces the SQL
    const cancel = { ...state(), mode: 'cancel' as const };
    expect(kinds(routeKey(cancel, 'c', { ctrl: true }))).toBe('cancel-now');
    expect(kinds(routeKey(cancel, 'j', {}))).toBe('none'); // the menu reads it
    expect(kinds(routeKey(cancel, '', { escape: true }))).toBe('cancel-menu');
    const filter = { ...state(), mode: 'filter' as const };
    expect(routeKey(filter, 'q', {})).toEqual({ kind: 'dispatch', action: { type: 'filter-type', text: 'q' } });
    expect(kinds(routeKey(filter, '', { backspace: true }))).toBe('filter-backspace');
    const prompt = { ...state(), mode: 'prompt' as const };
    expect(kinds(routeKey(prompt, '-', {}))).toBe('prompt-type');
    expect(kinds(routeKey(prompt, '', { return: true }))).toBe('force-submit');
  });

  it('shows the keys that work right now in the footer', () => {
    expect(footerKeys(state()).map((k) => k.key)).toContain('u/d');
    expect(footerKeys({ ...state(), mode: 'running' }).map((k) => k.key)).toEqual(['x/ctrl-c', 'L', '+/-', 'H', 'j/k']);
    const dirty = reducer(state(), { type: 'db-state', state: { version: '3', dirty: true }, lockHolder: null });
    expect(footerKeys(dirty)[0]).toEqual({ key: 'f', label: 'fix dirty', prio: 0 });
  });
});

describe('plan lines', () => {
  it('windows a long plan without materialising it', () => {
    const doc = createDocument(Array.from({ length: 300 }, (_, i) => `SELECT ${i};`).join('\n'), '/x.sql');
    const plan: PlanView = {
      intent: { kind: 'up' },
      title: 'up runs: up 1, up 2',
      summary: 'From no version to version 2',
      steps: [
        { title: 'up 1 a', detail: '1_a.up.sql', doc, lines: [], shown: 200 },
        { title: 'force 2', detail: 'records', doc: null, lines: ['BEGIN;', 'COMMIT;'], shown: 0 },
      ],
      moreSteps: 3,
      confirm: { kind: 'yes' },
      signature: '',
      warning: null,
    };
    expect(planLineCount(plan, 100)).toBe(3 + (1 + 200 + 1 + 1) + (1 + 2 + 1) + 1);
    const all = planWindow(plan, 0, 1000, 100);
    expect(all).toHaveLength(planLineCount(plan, 100));
    const w = planWindow(plan, 100, 5, 100);
    expect(w.map((l) => (l.kind === 'sql' ? l.line : l.kind))).toEqual([96, 97, 98, 99, 100]);
    expect(planWindow(plan, 204, 3, 100).map((l) => l.kind)).toEqual(['text', 'blank', 'step']);
  });
});
