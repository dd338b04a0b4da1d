import type { DbState, Migration, SourceListing, Version } from '../../formats/types.js';
import type { AppliedMigration } from '../../formats/driver.js';
import { NIL_VERSION } from '../../formats/types.js';
import { filterRows } from '../filter.js';
import { moveCursor, windowTop } from '../list-window.js';
import { displayVersion, toolWord } from '../rows.js';
import type { Action, UiState } from '../state.js';
import { layoutOf, selectedRow } from '../view.js';
import { derivePreview } from './preview.js';

/** The migration list: its rows (folder + database), the cursor, focus and the filter. */
export function reduceList(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'listing':
      return withRows(s, a.listing, s.db.state, false);
    case 'db-state': {
      const same = s.db.state !== null && sameState(s.db.state, a.state);
      if (same && s.db.lockHolder === a.lockHolder && s.db.error === null) return s;
      const db = { state: a.state, lockHolder: a.lockHolder, error: null };
      return same ? { ...s, db } : withRows({ ...s, db }, s.listing, a.state, false);
    }
    case 'journal-steps': {
      const t = { ...s, journalSteps: a.steps };
      return withRows(t, s.listing, s.db.state, false);
    }
    case 'db-error':
      if (s.db.error === a.message) return s;
      return { ...s, db: { ...s.db, error: a.message } };
    case 'move':
      return place(s, moveCursor(s.visible.length, s.cursor, a.delta));
    case 'move-page':
      return place(s, moveCursor(s.visible.length, s.cursor, a.pages * layoutOf(s).listRows));
    case 'move-to':
      return place(s, a.where === 'top' ? 0 : Math.max(0, s.visible.length - 1));
    case 'select-version': {
      const at = s.visible.findIndex((i) => s.items[i]!.version === a.version);
      return at < 0 ? s : place(s, at);
    }
    case 'focus':
      return s.focus === a.focus ? s : { ...s, focus: a.focus };
    case 'filter-open':
      return { ...s, mode: 'filter', focus: 'list' };
    case 'filter-type':
      return applyFilter(s, s.filter + a.text);
    case 'filter-backspace':
      return applyFilter(s, [...s.filter].slice(0, -1).join(''));
    case 'filter-close': {
      const t = a.keep ? s : applyFilter(s, '');
      return { ...t, mode: s.mode === 'filter' ? 'normal' : s.mode };
    }
    default:
      return undefined;
  }
}

/** Recomputes the rows from the folder and the database state, keeping the cursor on the same version. */
export function withRows(s: UiState, listing: SourceListing, dbState: DbState | null, first: boolean): UiState {
  const keep = first ? undefined : selectedRow(s)?.version;
  const status = s.statusOf(listing, dbState ?? { version: NIL_VERSION, dirty: false }, s.journalSteps);
  const byVersion = new Map<Version, Migration>();
  for (const m of listing.migrations) byVersion.set(m.version, m);
  let vw = 1;
  let nw = 4;
  for (const r of status.rows) {
    const l = displayVersion(r).length;
    if (l > vw) vw = l;
    const word = toolWord(r);
    const n = r.name.length + (word ? 2 + word.length : 0);
    if (n > nw) nw = n;
  }
  // marker + flag + space, version, space, name, current marker, borders
  const listWant = 3 + vw + 1 + Math.min(nw, 40) + 2 + 2;
  const visible = filterRows(status.rows, s.filter);
  const repairable = dbState ? s.canRepair(dbState) : false;
  const t: UiState = { ...s, listing, byVersion, items: status.rows, visible, listWant, versionWidth: vw, repairable };
  const at = keep === undefined ? -1 : visible.findIndex((i) => status.rows[i]!.version === keep);
  return derivePreview(keepCursorInView({ ...t, cursor: at >= 0 ? at : Math.min(s.cursor, Math.max(0, visible.length - 1)) }));
}

function applyFilter(s: UiState, filter: string): UiState {
  if (filter === s.filter) return s;
  const keep = selectedRow(s)?.version;
  const visible = filterRows(s.items, filter);
  const at = keep === undefined ? -1 : visible.findIndex((i) => s.items[i]!.version === keep);
  return derivePreview(keepCursorInView({ ...s, filter, visible, cursor: at >= 0 ? at : 0, listTop: 0 }));
}

export function place(s: UiState, cursor: number): UiState {
  const listTop = windowTop(s.visible.length, cursor, s.listTop, layoutOf(s).listRows);
  if (cursor === s.cursor && s.listTop === listTop) return s;
  return derivePreview({ ...s, cursor, listTop });
}

/** The cursor on a row that exists, and the list's window around it. */
export function keepCursorInView(s: UiState): UiState {
  const cursor = Math.min(s.cursor, Math.max(0, s.visible.length - 1));
  const listTop = windowTop(s.visible.length, cursor, s.listTop, layoutOf(s).listRows);
  return cursor === s.cursor && listTop === s.listTop ? s : { ...s, cursor, listTop };
}

/** Whether two reads of the tracking table say the same (set-tracking tools: the same rows, checksums and outcomes). */
export function sameState(a: DbState, b: DbState): boolean {
  if (a.version !== b.version || a.dirty !== b.dirty) return false;
  const x = a.applied;
  const y = b.applied;
  if (x === y) return true;
  if (!x || !y || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (!sameRow(x[i]!, y[i]!)) return false;
  return true;
}

function sameRow(a: AppliedMigration, b: AppliedMigration): boolean {
  return a.key === b.key && a.success === b.success && a.checksum === b.checksum && a.installedRank === b.installedRank && a.description === b.description && a.type === b.type;
}
