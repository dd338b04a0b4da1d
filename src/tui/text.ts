import type { Version } from '../formats/types.js';
import { NIL_VERSION } from '../formats/types.js';
import { redactSecrets } from '../redact.js';

/** "version 3" / "no version". */
export function versionText(v: Version): string {
  return v === NIL_VERSION ? 'no version' : `version ${v}`;
}

/** "is at version 3" / "has no version (nothing applied)", after "the database". */
export function where(v: Version): string {
  return v === NIL_VERSION ? 'has no version (nothing applied)' : `is at version ${v}`;
}

/** An error's message (and hint), with any password hidden. */
export function errText(err: unknown): string {
  const e = err as { message?: string; hint?: string };
  const msg = e?.message ?? String(err);
  return redactSecrets(e?.hint ? `${msg} ${e.hint}` : msg);
}

/** Word-wraps text to lines of at most width characters, keeping at most maxLines (the last ends with … when cut). */
export function wrapLines(text: string, width: number, maxLines: number): string[] {
  if (maxLines <= 0 || width <= 0) return [];
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let cur = '';
  for (const w of words) {
    let word = w;
    while (word.length > width) {
      if (cur) {
        lines.push(cur);
        cur = '';
      }
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!cur) cur = word;
    else if (cur.length + 1 + word.length <= width) cur += ` ${word}`;
    else {
      lines.push(cur);
      cur = word;
    }
  }
  if (cur) lines.push(cur);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1]!;
  kept[maxLines - 1] = last.length >= width ? `${last.slice(0, width - 1)}…` : `${last}…`;
  return kept;
}
