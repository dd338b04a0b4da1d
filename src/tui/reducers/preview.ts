import { sectionKey } from '../documents.js';
import { capsOfInfo } from '../capabilities.js';
import { missingHalfText } from '../rows.js';
import { scrollTo } from '../list-window.js';
import type { Action, PreviewState, UiState } from '../state.js';
import { previewRowsOf, selectedRow } from '../view.js';

/** The SQL preview: which file it shows (up or down), its loading, and sideways scroll. */
export function reducePreview(s: UiState, a: Action): UiState | undefined {
  switch (a.type) {
    case 'tab': {
      const tab = a.tab ?? (s.tab === 'up' ? 'down' : 'up');
      return tab === s.tab ? s : derivePreview({ ...s, tab });
    }
    case 'preview-left':
      return { ...s, previewLeft: Math.max(0, s.previewLeft + a.delta) };
    case 'preview-loading':
      if (s.preview.want !== a.path) return s;
      return { ...s, preview: { ...s.preview, status: 'loading', error: null } };
    case 'preview-loaded': {
      if (s.preview.want !== a.path) return s;
      // The whole file may arrive before its head: never replace it with the head.
      if (a.doc.partial && s.preview.doc && !s.preview.doc.partial && s.preview.doc.path === a.path) return s;
      const top = scrollTo(a.doc.lineCount, previewRowsOf(s), s.preview.atEnd ? Number.MAX_SAFE_INTEGER : s.preview.top);
      return { ...s, preview: { ...s.preview, doc: a.doc, status: 'ready', error: null, top } };
    }
    case 'preview-error':
      if (s.preview.want !== a.path) return s;
      return { ...s, preview: { ...s.preview, doc: null, status: 'error', error: a.message } };
    case 'preview-stale':
      if (a.path !== null && s.preview.doc?.path !== a.path) return s;
      if (!s.preview.doc && s.preview.status !== 'error') return s;
      return { ...s, preview: { ...s.preview, doc: null, status: s.preview.want ? 'loading' : 'none', error: null } };
    default:
      return undefined;
  }
}

/** Which file the preview should show for the selected row and tab; keeps the document if it is that file. */
export function derivePreview(s: UiState): UiState {
  const row = selectedRow(s);
  let want: string | null = null;
  let path: string | null = null;
  let sql: string | undefined;
  let absent: string | null = null;
  const m = row ? s.byVersion.get(row.version) : undefined;
  if (!row) absent = s.items.length === 0 ? `No migration files in ${s.info.folder}.` : 'No migration matches the filter.';
  else if (!m) {
    const what = row.repeatable ? `The repeatable migration "${row.name}"` : `Version ${row.version}`;
    absent = `${what} is recorded in ${capsOfInfo(s.info).recordedInTable ? s.info.table : 'the database'}, but the folder has no file for it (deleted, or another branch?).`;
  } else {
    const file = s.tab === 'up' ? m.up : m.down;
    if (file) {
      path = file.path;
      // The tool runs part of the file (dbmate's up or down section): show that part only.
      sql = file.sql;
      want = sql === undefined ? file.path : sectionKey(file.path, s.tab);
    } else absent = missingHalfText(s.info, row, m, s.tab);
  }
  const p = s.preview;
  if (p.want === want && p.absent === absent && p.sql === sql) return s;
  const same = p.doc !== null && p.doc.path === want && p.sql === sql;
  const preview: PreviewState = {
    want,
    path,
    ...(sql !== undefined ? { sql } : {}),
    absent,
    doc: same ? p.doc : null,
    status: want === null ? 'none' : same ? 'ready' : 'loading',
    error: null,
    top: same ? p.top : 0,
    atEnd: same ? p.atEnd : false,
  };
  return { ...s, preview };
}
