import type { Migration, SourceListing, SourceProblem } from '../../src/formats/types.js';

/** A listing of versions with both halves, e.g. listing(1, 2, 5); pass {noDown:[5]} to drop halves. */
export function listing(versions: number[], opts: { noDown?: number[]; noUp?: number[]; problems?: SourceProblem[] } = {}): SourceListing {
  const migrations: Migration[] = versions.map((v) => {
    const m: Migration = { version: String(v), name: `m${v}` };
    if (!opts.noUp?.includes(v)) m.up = { path: `/m/${v}_m${v}.up.sql`, file: `${v}_m${v}.up.sql`, name: `m${v}` };
    if (!opts.noDown?.includes(v)) m.down = { path: `/m/${v}_m${v}.down.sql`, file: `${v}_m${v}.down.sql`, name: `m${v}` };
    return m;
  });
  return { dir: '/m', migrations, problems: opts.problems ?? [], ignored: [] };
}
