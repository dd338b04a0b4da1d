import type { JournalEntry } from './journal.js';

/** How a 'running' row is shown when no live session can be running it (see listJournal). */
export const NO_LIVE_SESSION = 'interrupted (no live session)';

/** A journal row's outcome as a person should read it. */
export function shownOutcome(e: JournalEntry): string {
  return e.outcome === 'running' && e.liveSession === false ? NO_LIVE_SESSION : e.outcome;
}
