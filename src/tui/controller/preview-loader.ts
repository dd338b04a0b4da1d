import { HEAD_BYTES, type DocumentCache } from '../documents.js';
import type { UiState } from '../state.js';
import type { Store } from '../store.js';
import { errText } from '../text.js';

/** Loads the file (or the section of a file) the SQL preview wants, once per change of what it wants. */
export class PreviewLoader {
  private requested: string | null = null;

  constructor(
    private readonly store: Store,
    private readonly docs: DocumentCache,
  ) {}

  /** Runs synchronously after every state change: loads the file the preview now wants. */
  afterDispatch(next: UiState): void {
    const p = next.preview;
    if (p.want === null) this.requested = null;
    else if (!p.doc && p.status !== 'error' && this.requested !== p.want) {
      if (p.sql !== undefined && p.path !== null) this.loadSection(p.want, p.path, p.sql);
      else this.loadPreview(p.want);
    }
  }

  /** Files changed on disk (null: the platform did not say which): the preview reloads if it shows one of them. */
  filesChanged(changed: (string | null)[]): void {
    const { want, path } = this.store.getState().preview;
    if (want && (changed.includes(null) || changed.includes(path))) {
      this.requested = null;
      this.store.dispatch({ type: 'preview-stale', path: want });
    }
  }

  /** The part of a file the tool runs (dbmate's up or down section): from the listing's text, numbered as in the file. */
  private loadSection(key: string, path: string, sql: string): void {
    this.requested = key;
    const { doc } = this.docs.sectionSync(key, path, sql);
    if (doc) {
      this.requested = null;
      this.store.dispatch({ type: 'preview-loaded', path: key, doc });
      return;
    }
    this.store.dispatch({ type: 'preview-loading', path: key });
    this.docs.loadSection(key, path, sql).then(
      (d) => {
        if (this.requested !== key) return;
        this.requested = null;
        this.store.dispatch({ type: 'preview-loaded', path: key, doc: d });
      },
      (err) => {
        if (this.requested !== key) return;
        this.requested = null;
        this.store.dispatch({ type: 'preview-error', path: key, message: errText(err) });
      },
    );
  }

  private loadPreview(path: string): void {
    this.requested = path;
    const { doc, size } = this.docs.getSync(path);
    if (doc) {
      this.requested = null;
      this.store.dispatch({ type: 'preview-loaded', path, doc });
      return;
    }
    this.store.dispatch({ type: 'preview-loading', path });
    // A big file: show its first part at once, then all of it.
    if (size !== undefined && size > HEAD_BYTES)
      this.docs.loadHead(path).then(
        (head) => {
          if (this.requested === path) this.store.dispatch({ type: 'preview-loaded', path, doc: head });
        },
        () => undefined, // load() below reports errors
      );
    this.docs.load(path).then(
      (d) => {
        if (this.requested !== path) return;
        this.requested = null;
        this.store.dispatch({ type: 'preview-loaded', path, doc: d });
      },
      (err) => {
        if (this.requested !== path) return;
        this.requested = null;
        this.store.dispatch({ type: 'preview-error', path, message: errText(err) });
      },
    );
  }
}
