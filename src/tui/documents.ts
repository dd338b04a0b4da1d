import { readFileSync, statSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { createDocument, type SqlDocument } from './sql-document.js';

/** Files up to this size are read synchronously when selected, so the preview never flashes "loading". */
const SYNC_LIMIT = 512 * 1024;
/** Bigger files show their first HEAD_BYTES at once while the rest is read. */
export const HEAD_BYTES = 256 * 1024;

/** Migration files as SqlDocuments, cached (LRU, bounded by bytes) and re-read when their mtime or size changes. */
export class DocumentCache {
  private readonly docs = new Map<string, SqlDocument>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** The document if it is cached and unchanged, or small enough to read now; else undefined (use load) and its size. */
  getSync(path: string): { doc?: SqlDocument; size?: number } {
    let st;
    try {
      st = statSync(path);
    } catch {
      return {}; // load() reports the error
    }
    const id = idOf(path, st.mtimeMs, st.size);
    const hit = this.docs.get(path);
    if (hit && hit.id === id) return { doc: this.touch(hit) };
    if (st.size > SYNC_LIMIT) return { size: st.size };
    try {
      return { doc: this.put(createDocument(decode(readFileSync(path)), path, id, st.size)) };
    } catch {
      return {};
    }
  }

  /**
   * The first `bytes` of a big file, up to its last whole line, as a partial document (not cached):
   * the preview shows it at once while load() reads the rest.
   */
  async loadHead(path: string, bytes = HEAD_BYTES): Promise<SqlDocument> {
    const handle = await open(path, 'r');
    try {
      const st = await handle.stat();
      const buf = Buffer.allocUnsafe(Math.min(bytes, st.size));
      const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
      // Cut after the last newline: 0x0A never occurs inside a multi-byte UTF-8 sequence.
      const nl = buf.lastIndexOf(10, bytesRead - 1);
      const end = bytesRead < st.size && nl >= 0 ? nl + 1 : bytesRead;
      const id = `${idOf(path, st.mtimeMs, st.size)}#head`;
      return createDocument(buf.toString('utf8', 0, end), path, id, st.size, true);
    } finally {
      await handle.close();
    }
  }

  /**
   * The part of a file the tool runs (`sql`: dbmate's up or down section), as a document under its own
   * key, numbered as in the file. Built from the text the listing already holds; the file is read only
   * to find where the section starts (small files at once; bigger ones through loadSection).
   */
  sectionSync(key: string, path: string, sql: string): { doc?: SqlDocument; size?: number } {
    let st: { mtimeMs: number; size: number } | undefined;
    try {
      st = statSync(path);
    } catch {
      st = undefined;
    }
    const id = sectionId(key, st, sql);
    const hit = this.docs.get(key);
    if (hit && hit.id === id) return { doc: this.touch(hit) };
    const bytes = Buffer.byteLength(sql);
    // The whole file (sqlx, Flyway), or a file that cannot be read: no offset to find.
    if (!st || st.size === bytes) return { doc: this.put(createDocument(sql, key, id, bytes, false, 0)) };
    if (st.size > SYNC_LIMIT) return { size: st.size };
    let text = '';
    try {
      text = decode(readFileSync(path));
    } catch {
      // numbered from 1 then
    }
    return { doc: this.put(createDocument(sql, key, id, bytes, false, lineOf(text, sql))) };
  }

  async loadSection(key: string, path: string, sql: string): Promise<SqlDocument> {
    const { doc } = this.sectionSync(key, path, sql);
    if (doc) return doc;
    const st = await stat(path);
    const text = decode(await readFile(path));
    return this.put(createDocument(sql, key, sectionId(key, st, sql), Buffer.byteLength(sql), false, lineOf(text, sql)));
  }

  async load(path: string): Promise<SqlDocument> {
    const st = await stat(path);
    const id = idOf(path, st.mtimeMs, st.size);
    const hit = this.docs.get(path);
    if (hit && hit.id === id) return this.touch(hit);
    const text = decode(await readFile(path));
    return this.put(createDocument(text, path, id, st.size));
  }

  invalidate(path?: string): void {
    if (path === undefined) {
      this.docs.clear();
      this.bytes = 0;
      return;
    }
    for (const key of [path, sectionKey(path, 'up'), sectionKey(path, 'down')]) {
      const hit = this.docs.get(key);
      if (hit) {
        this.docs.delete(key);
        this.bytes -= hit.bytes;
      }
    }
  }

  private touch(doc: SqlDocument): SqlDocument {
    this.docs.delete(doc.path);
    this.docs.set(doc.path, doc);
    return doc;
  }

  private put(doc: SqlDocument): SqlDocument {
    const old = this.docs.get(doc.path);
    if (old) {
      this.docs.delete(doc.path);
      this.bytes -= old.bytes;
    }
    this.docs.set(doc.path, doc);
    this.bytes += doc.bytes;
    for (const [path, d] of this.docs) {
      if (this.bytes <= this.maxBytes || d === doc) break;
      this.docs.delete(path);
      this.bytes -= d.bytes;
    }
    return doc;
  }
}

/**
 * One decode of the whole buffer: a large ASCII/UTF-8 result becomes a single (external) string, where
 * readFile(path, 'utf8') would decode chunk by chunk and join them, copying 20 MB through the GC twice.
 */
function decode(buf: Buffer): string {
  return buf.toString('utf8');
}

function idOf(path: string, mtimeMs: number, size: number): string {
  return `${path}@${mtimeMs}:${size}`;
}

/** The preview's key for one section of a file (the document's path). */
export function sectionKey(path: string, section: 'up' | 'down'): string {
  return `${path}#${section}`;
}

function sectionId(key: string, st: { mtimeMs: number; size: number } | undefined, sql: string): string {
  return `${key}@${st ? `${st.mtimeMs}:${st.size}` : 'unread'}#${sql.length}`;
}

/** The 0-based line of the file where `sql` starts (0 when it is not found). */
export function lineOf(text: string, sql: string): number {
  const at = sql === '' ? -1 : text.indexOf(sql);
  if (at <= 0) return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
