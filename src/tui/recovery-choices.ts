import type { RecoveryOption } from '../engine/recovery.js';
import type { Migration, Version } from '../formats/types.js';
import { NIL_VERSION, compareNumeric } from '../formats/types.js';
import type { Failure, UiState } from './state.js';
import { capsOfInfo } from './capabilities.js';

export type RecoveryChoice =
  | { kind: 'option'; candidate: number; option: number }
  | { kind: 'force'; version: Version }
  | { kind: 'type' }
  | { kind: 'leave' };

export interface RecoveryItem {
  label: string;
  consequence?: string;
  warning?: string;
  choice: RecoveryChoice;
}

const vtext = (v: Version) => (v === NIL_VERSION ? '-1 (no version)' : String(v));

/**
 * The ways out of a dirty database, as the recovery guide lists them: the engine's diagnosis (the same
 * as "ladder recover": retry, mark as done, undo, each with its consequence) when it is in, else the
 * two forces that can fix it. Then "type a version" and "leave it".
 */
export function recoveryItems(s: UiState): RecoveryItem[] {
  const items: RecoveryItem[] = [];
  const caps = capsOfInfo(s.info);
  const diag = s.recovery.diagnosis;
  if (diag && diag.candidates.length > 0) {
    const many = diag.candidates.length > 1;
    diag.candidates.forEach((r, ci) => {
      const k = r.candidate;
      r.options.forEach((o: RecoveryOption, oi) => {
        if (o.id === 'leave') return;
        const prefix = many ? `if ${k.direction} ${k.version} failed: ` : '';
        // The engine never recommends a way out that could apply committed work twice (issue 10's rule).
        items.push({ label: `${prefix}${o.label}${o.recommended ? ' (recommended)' : ''}`, consequence: o.consequence, warning: o.warning, choice: { kind: 'option', candidate: ci, option: oi } });
      });
    });
  } else if (caps.typedForceInGuide) items.push(...forceItems(s.db.state?.version ?? NIL_VERSION, s.failure, s.listing.migrations));
  if (caps.typedForceInGuide) {
    items.push({ label: 'Force another version: type it', consequence: 'Records the version you type, clean, without running anything.', choice: { kind: 'type' } });
    items.push({ label: 'Leave it for now (f brings this back)', consequence: 'Changes nothing. Every action but force refuses until the database is clean.', choice: { kind: 'leave' } });
  } else {
    // The tool's own words for what leaving it means (it still counts the step as pending, or its row as failed).
    const leave = diag?.candidates[0]?.options.find((o) => o.id === 'leave');
    const recommended = diag?.candidates.length === 1 && leave?.recommended ? ' (recommended: check by hand first)' : '';
    items.push({ label: `Leave it for now (:recover brings this back)${recommended}`, consequence: leave?.consequence ?? 'Changes nothing.', choice: { kind: 'leave' } });
  }
  return items;
}

/** Without a diagnosis: which force fixes which situation, for a database left dirty at `version`. */
function forceItems(version: Version, failure: Failure | null, migrations: Migration[]): RecoveryItem[] {
  let prev: Version = NIL_VERSION;
  for (const m of migrations) if (compareNumeric(m.version, version) < 0) prev = m.version;
  const next = migrations.find((m) => compareNumeric(m.version, version) > 0)?.version;
  const downFailed = failure ? failure.direction === 'down' && failure.target === version : version === NIL_VERSION;
  const out: RecoveryItem[] = [];
  if (downFailed) {
    const w = failure?.version ?? next;
    if (w !== undefined)
      out.push({ label: `Nothing of the down of ${w} remains: force ${w} (still applied; d retries it)`, choice: { kind: 'force', version: w } });
    out.push({ label: `You finished the down by hand: force ${vtext(version)}`, choice: { kind: 'force', version } });
  } else {
    out.push({ label: `Nothing of ${version} remains (rolled back, or undone): force ${vtext(prev)}; u retries it`, choice: { kind: 'force', version: prev } });
    out.push({ label: `Version ${version} is fully applied (you finished it by hand): force ${version}`, choice: { kind: 'force', version } });
  }
  return out;
}
