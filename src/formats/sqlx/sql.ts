/**
 * The statements sqlx-postgres 0.8.6 sends (sqlx-postgres/src/migrate.rs), byte for byte, including
 * the leading newline and the trailing 16 spaces of its raw string literals. The table name is
 * unqualified: it resolves through search_path, as in sqlx.
 */

export const SQLX_TABLE = '_sqlx_migrations';

/** `ensure_migrations_table`, run as one simple query. */
export const CREATE_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
);
                `;

/** `execute_migration`: binds version (i64), description, checksum (bytea). */
export const INSERT_SQL = `
    INSERT INTO _sqlx_migrations ( version, description, success, checksum, execution_time )
    VALUES ( $1, $2, TRUE, $3, -1 )
                `;

/** `apply`, after the commit: $1 = elapsed nanoseconds (i64), $2 = version. */
export const UPDATE_EXECUTION_TIME_SQL = `
    UPDATE _sqlx_migrations
    SET execution_time = $1
    WHERE version = $2
                `;

/** `revert_migration`. */
export const DELETE_SQL = 'DELETE FROM _sqlx_migrations WHERE version = $1';

/** `dirty_version`. */
export const DIRTY_VERSION_SQL = 'SELECT version FROM _sqlx_migrations WHERE success = false ORDER BY version LIMIT 1';

/** `list_applied_migrations`. */
export const LIST_APPLIED_SQL = 'SELECT version, checksum FROM _sqlx_migrations ORDER BY version';

/** `lock` / `unlock` of the library's `Migrator` (the CLI never calls them). */
export const LOCK_SQL = 'SELECT pg_advisory_lock($1)';
export const UNLOCK_SQL = 'SELECT pg_advisory_unlock($1)';

/**
 * Ladder's read of every column, in sqlx's order (by version). Text casts keep bigint and timestamps
 * exact and make the checksum hex whatever bytea_output is.
 */
export const READ_ROWS_SQL =
  "SELECT version::text AS version, description, installed_on::text AS installed_on, success, encode(checksum, 'hex') AS checksum, execution_time::text AS execution_time FROM _sqlx_migrations ORDER BY version";
