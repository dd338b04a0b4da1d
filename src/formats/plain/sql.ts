import { quoteIdent } from '../../db/quote.js';

export const PLAIN_TABLE = 'schema_migrations';

/** The table plain-SQL projects document for "when we get a tool", verbatim, in the connection's current schema. */
export function createTableSql(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualified(schema)} (
    id SERIAL PRIMARY KEY,
    version INTEGER UNIQUE NOT NULL,
    description TEXT NOT NULL,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL,
    applied_by VARCHAR(100),
    success BOOLEAN DEFAULT true
);`;
}

export function qualified(schema: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(PLAIN_TABLE)}`;
}
