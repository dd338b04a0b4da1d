import type { DbState, SourceListing, Tracker } from '../formats/types.js';
import { golangMigrateSource } from '../formats/golang-migrate/source.js';
import { golangMigrateTracker, resolveTable } from '../formats/golang-migrate/tracker.js';
import { MigrationSession } from '../db/session.js';
import type { DatabaseTarget } from '../db/url.js';
import { Journal } from './journal.js';
import { LadderError } from '../errors.js';

/** A migrations folder and a database, opened together: what every command starts from. */
export interface Project {
  format: 'golang-migrate';
  listing: SourceListing;
  target: DatabaseTarget;
  session: MigrationSession;
  tracker: Tracker;
  /** Ladder's step journal, next to the tracking table. */
  journal: Journal;
  schema: string;
  database: string;
  readState(): Promise<DbState>;
  reloadListing(): Promise<SourceListing>;
  close(): Promise<void>;
}

export async function openProject(dir: string, target: DatabaseTarget): Promise<Project> {
  // Read the folder while connecting; a folder error is reported first (it is the user's own input).
  const opening = MigrationSession.open(target);
  opening.catch(() => undefined);
  let listing: SourceListing;
  try {
    listing = await golangMigrateSource.read(dir);
  } catch (err) {
    await opening.then((s) => s.close()).catch(() => undefined);
    throw err;
  }
  const session = await opening;
  try {
    const res = await session.client.query('SELECT current_schema() AS schema, current_database() AS db');
    const schema: string | null = res.rows[0].schema;
    if (!schema)
      throw new LadderError(
        'PostgreSQL has no current schema for this connection (search_path names no existing schema).',
        'Create the schema, or set search_path in the URL (e.g. ?search_path=public).',
      );
    const table = resolveTable(schema, { migrationsTable: target.options.migrationsTable, quoted: target.options.migrationsTableQuoted });
    const tracker = golangMigrateTracker(table, target.urlPath);
    return {
      format: 'golang-migrate',
      get listing() {
        return listing;
      },
      target,
      session,
      tracker,
      journal: new Journal(table.schema),
      schema,
      database: String(res.rows[0].db),
      readState: () => tracker.readState(session.client),
      reloadListing: async () => (listing = await golangMigrateSource.read(dir)),
      close: () => session.close(),
    };
  } catch (err) {
    await session.close();
    throw err;
  }
}
