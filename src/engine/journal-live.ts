import type { Queryable } from '../formats/types.js';
import { lockHolder } from '../db/session.js';
import type { Journal, JournalEntry } from './journal.js';

/**
 * The journal, newest first, with every 'running' row checked against the server: Ladder runs a step
 * only while holding the migration lock, so a 'running' row is live only while a session of the same
 * user and application_name holds that lock (pg_locks joined to pg_stat_activity). Otherwise the
 * Ladder that wrote it is gone and the row says liveSession: false (the next migrating command settles
 * it as 'interrupted' in the table itself).
 */
export async function listJournal(db: Queryable, journal: Journal, lockId: string, limit: number): Promise<JournalEntry[]> {
  const entries = await journal.list(db, limit);
  if (!entries.some((e) => e.outcome === 'running')) return entries;
  const holder = await lockHolder(db, lockId);
  return entries.map((e) => {
    if (e.outcome !== 'running') return e;
    const live = holder !== null && holder.user === e.dbUser && holder.applicationName === e.applicationName;
    return { ...e, liveSession: live };
  });
}
