import type { StatusRow } from '../engine/status.js';
import type { Migration } from '../formats/types.js';
import type { Info } from './state.js';
import { capsOfInfo } from './capabilities.js';

/**
 * How a migration row reads, whatever the tool: its version column, the tool's word for its state
 * when that word says more than the marker, the detail lines shown above its SQL, and why a tab has
 * no SQL, in the tool's terms.
 */

/** The version column: `R` for a Flyway repeatable (its key is "R__<description>"). */
export function displayVersion(r: Pick<StatusRow, 'version' | 'repeatable'>): string {
  return r.repeatable ? 'R' : r.version;
}

export { toolWord } from '../engine/status.js';
import { toolWord } from '../engine/status.js';

export type DetailTone = 'changed' | 'failed' | 'problem' | 'note' | 'quiet';

export interface DetailLine {
  tone: DetailTone;
  text: string;
}

/** At most this many detail lines above the SQL. */
export const MAX_DETAIL = 3;

/**
 * What the preview says about the selected row before its SQL: a checksum mismatch with both checksums,
 * a failed row in the tool's words, the tool's label and the row's first problem. [] for a plain row.
 */
export function rowDetail(r: StatusRow | undefined, previewRows: number, shown: string | null = null): DetailLine[] {
  if (!r) return [];
  // A problem the preview already explains in full (it has no SQL to show) is not repeated above it.
  const problems = shown ? r.problems.filter((p) => !shown.includes(p)) : r.problems;
  const room = Math.min(MAX_DETAIL, Math.floor(previewRows / 3));
  if (room <= 0) return [];
  const out: DetailLine[] = [];
  const word = toolWord(r);
  if (r.state === 'changed') {
    out.push({ tone: 'changed', text: `≠ ${word || 'the file changed since it was applied'}` });
    if (r.checksum) {
      out.push({ tone: 'quiet', text: `  checksum stored ${r.checksum.stored || '(none)'}` });
      out.push({ tone: 'quiet', text: `  checksum file   ${r.checksum.local || '(none)'}` });
    }
  } else if (r.state === 'dirty') {
    if (word) out.push({ tone: 'failed', text: `✗ ${word}` });
    for (const p of problems) out.push({ tone: 'failed', text: p });
  } else {
    const first = problems[0];
    if (word && !(first && first.startsWith(`${word}:`))) out.push({ tone: 'note', text: word });
    for (const p of problems) out.push({ tone: 'problem', text: `! ${p}` });
  }
  return out.slice(0, room);
}

/** Why the selected tab shows no SQL: the migration has no file for that direction. */
export function missingHalfText(info: Info, r: StatusRow, m: Migration, tab: 'up' | 'down'): string {
  const tool = info.tool ?? info.format;
  if (capsOfInfo(info).tracks === 'version')
    return tab === 'up'
      ? `Version ${r.version} has no up file: stepping up through it runs nothing but records the version.`
      : `Version ${r.version} has no down file: stepping down through it runs nothing but records the version.`;
  // The tool could not read the file at all (a dbmate file without a '-- migrate:down' line): its own words.
  if (!m.up && !m.down && r.problems.length > 0) return `${r.problems.map(sentence).join(' ')} Until then ${tool} can neither apply nor roll back this file.`;
  if (tab === 'up') return r.problems[0] ?? `${tool} has no up migration for ${r.version}.`;
  return r.noDown ? `${r.noDown} Or ${FORGET}.` : `${tool} has no down migration for ${r.version}: d cannot roll it back. ${FORGET}.`;
}

const FORGET = 'F (forget) records it as not applied without running anything';

function sentence(text: string): string {
  return /[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`;
}
