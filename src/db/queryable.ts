import type pg from 'pg';

/** Anything that runs a query: a client, a pool, or a session's connection. */
export type Queryable = Pick<pg.Client, 'query'>;
