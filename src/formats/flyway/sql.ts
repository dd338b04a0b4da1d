import { flywayQuote } from './lock-id.js';

/**
 * The statements Flyway 13 sends to PostgreSQL for its history table (PostgreSQLDatabase,
 * Database.java, PostgreSQLTable/PostgreSQLSchema; docs/formats-spec.md §3.5-3.6, 3.10).
 * `table` is the quoted "schema"."name"; `name` the bare table name.
 */

export const FLYWAY_TABLE = 'flyway_schema_history';

/** getRawCreateScript(table, baseline=false) with no tablespace. The _pk/_s_idx names are not escaped, as in Flyway. */
export function createTableSql(table: string, name: string): string {
  return (
    `CREATE TABLE ${table} (\n` +
    '    "installed_rank" INT NOT NULL,\n' +
    '    "version" VARCHAR(50),\n' +
    '    "description" VARCHAR(200) NOT NULL,\n' +
    '    "type" VARCHAR(20) NOT NULL,\n' +
    '    "script" VARCHAR(1000) NOT NULL,\n' +
    '    "checksum" INTEGER,\n' +
    '    "installed_by" VARCHAR(100) NOT NULL,\n' +
    '    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),\n' +
    '    "execution_time" INTEGER NOT NULL,\n' +
    '    "success" BOOLEAN NOT NULL\n' +
    ');\n' +
    `ALTER TABLE ${table} ADD CONSTRAINT "${name}_pk" PRIMARY KEY ("installed_rank");\n` +
    `CREATE INDEX "${name}_s_idx" ON ${table} ("success");`
  );
}

/** PostgreSQLTable.doExists ($1 schema, $2 table). */
export const TABLE_EXISTS_SQL =
  "SELECT EXISTS (\n  SELECT 1\n  FROM   pg_catalog.pg_class c\n  JOIN   pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n  WHERE  n.nspname = $1\n  AND    c.relname = $2\n  AND    c.relkind = 'r'\n)";

/** PostgreSQLSchema.doEmpty, negated: true when the schema holds a table, view, sequence, type or function ($1 = $2 = $3 = schema). */
export const SCHEMA_HAS_OBJECTS_SQL =
  'SELECT EXISTS (\n' +
  '    SELECT c.oid FROM pg_catalog.pg_class c\n' +
  '    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace\n' +
  "    LEFT JOIN pg_catalog.pg_depend d ON d.objid = c.oid AND d.deptype = 'e'\n" +
  "    WHERE  n.nspname = $1 AND d.objid IS NULL AND c.relkind IN ('r', 'v', 'S', 't')\n" +
  '  UNION ALL\n' +
  '    SELECT t.oid FROM pg_catalog.pg_type t\n' +
  '    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace\n' +
  "    LEFT JOIN pg_catalog.pg_depend d ON d.objid = t.oid AND d.deptype = 'e'\n" +
  "    WHERE n.nspname = $2 AND d.objid IS NULL AND t.typcategory NOT IN ('A', 'C')\n" +
  '  UNION ALL\n' +
  '    SELECT p.oid FROM pg_catalog.pg_proc p\n' +
  '    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace\n' +
  "    LEFT JOIN pg_catalog.pg_depend d ON d.objid = p.oid AND d.deptype = 'e'\n" +
  '    WHERE n.nspname = $3 AND d.objid IS NULL\n' +
  ')';

/** getSelectStatement: $1 is the last cached rank, -1 for a full read. */
export function selectSql(table: string): string {
  return `/*NO LOAD BALANCE*/\nSELECT "installed_rank","version","description","type","script","checksum","installed_on","installed_by","execution_time","success" FROM ${table} WHERE "installed_rank" > $1 ORDER BY "installed_rank"`;
}

/** getInsertStatement. */
export function insertSql(table: string): string {
  return `INSERT INTO ${table} ("installed_rank", "version", "description", "type", "script", "checksum", "installed_by", "execution_time", "success") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;
}

/** getUpdateStatement (repair aligning description, type and checksum). */
export function updateSql(table: string): string {
  return `UPDATE ${table} SET "description"=$1 , "type"=$2 , "checksum"=$3 WHERE "installed_rank"=$4`;
}

/** getDeleteStatement (repair removing failed rows): by version text, or by description for repeatables. */
export function deleteFailedSql(table: string, byVersion: boolean): string {
  return `DELETE FROM ${table} WHERE "success" = FALSE AND ${byVersion ? '"version" = $1' : '"description" = $1'}`;
}

/** PostgreSQLDatabase.doGetCurrentUser. */
export const CURRENT_USER_SQL = 'SELECT current_user';

/** AbbreviationUtils.abbreviateDescription: at most 200 characters. */
export function abbreviateDescription(description: string): string {
  return description.length <= 200 ? description : `${description.slice(0, 197)}...`;
}

/** AbbreviationUtils.abbreviateScript: at most 1000 characters. */
export function abbreviateScript(script: string): string {
  return script.length <= 1000 ? script : `...${script.slice(3, 1000)}`;
}

export { flywayQuote };
