import { touchedNames } from '../../db/touched.js';

/**
 * What a step's picture covers: the names its statements mention (from the parser), null (every schema)
 * when the parser cannot see everything (DO, CALL, SELECT f()), undefined (none) for an empty body.
 */
export async function stepSnapshotNames(body: string | null | undefined): Promise<string[] | null | undefined> {
  if (!body || body.trim() === '') return undefined;
  return touchedNames(body);
}

/** The unquoted table name of a qualified, quoted one ("public"."schema_migrations" -> schema_migrations). */
export function bareTableName(qualified: string): string {
  const m = /"((?:[^"]|"")*)"$/.exec(qualified);
  return m ? m[1]!.replace(/""/g, '"') : qualified.split('.').pop()!;
}
