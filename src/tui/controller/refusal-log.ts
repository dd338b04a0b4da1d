import { describeIntent, type Intent, type Refusal } from '../../engine/plan.js';
import { refusalText } from '../../engine/refusal-text.js';
import type { DbState } from '../../formats/types.js';
import { logTextWidth, type LogEntry } from '../log-lines.js';

const ALL = Number.MAX_SAFE_INTEGER;
import { where, wrapLines } from '../text.js';

/** Why a plan was refused, as log lines for a terminal `cols` wide. */
export function refusalEntries(intent: Intent, refusal: Refusal, state: DbState, cols: number): LogEntry[] {
  const text = refusalText(refusal);
  if (refusal.kind === 'no-change') return [{ kind: 'info', text: `${describeIntent(intent)}: ${noChangeText(intent, state)}` }];
  // A refusal is read, not skimmed: wrapped to the log's text width, so each entry is one row (Flyway's
  // validation lists each problem on its own line), and never cut.
  const width = Math.max(20, logTextWidth(cols));
  const entries: LogEntry[] = [];
  const [first = '', ...rest] = text.message.split('\n').filter((l) => l.trim() !== '');
  for (const l of wrapLines(`${describeIntent(intent)}: ${first}`, width, ALL)) entries.push({ kind: 'error', text: l });
  for (const r of rest) for (const l of wrapLines(`  ${r}`, width, ALL)) entries.push({ kind: 'error', text: l });
  if (text.hint) for (const l of wrapLines(keyHints(text.hint), width, ALL)) entries.push({ kind: 'hint', text: l });
  return entries;
}

/** "no change", said for what was asked. */
function noChangeText(intent: Intent, state: DbState): string {
  switch (intent.kind) {
    case 'force':
      return `no change: ${intent.version} is already recorded as applied.`;
    case 'forget':
      return `no change: ${intent.version} is not recorded as applied.`;
    case 'repair':
      return 'nothing to repair: no failed rows, no changed checksums, no rows without files.';
    default:
      return `no change (the database ${where(state.version)}).`;
  }
}

/** The engine's hints name commands ("ladder force 3", "repair", "forget 1.1"); in the TUI they are keys. */
function keyHints(hint: string): string {
  return hint
    .replace(/"ladder (force [^"]+)"/g, '$1 (f)')
    .replace(/"ladder status"/g, 'the list')
    .replace(/"repair"/g, 'repair (R)')
    .replace(/"force ([^"]+)"/g, 'force $1 (f on its row)')
    .replace(/"forget ([^"]+)"/g, 'forget $1 (F on its row)')
    .replace(/\bforce V or forget V\b/g, 'force (f) or forget (F) on its row')
    .replace(/\(forget\)/g, '(F: forget)');
}
