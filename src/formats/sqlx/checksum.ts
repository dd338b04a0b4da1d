import { createHash } from 'node:crypto';

/**
 * sqlx's checksum: SHA-384 of the file's bytes exactly as read (BOM and CRLF included), stored as
 * BYTEA in `_sqlx_migrations.checksum` (sqlx-core/src/migrate/migration.rs `Migration::new`).
 * Returned as the 96-char lowercase hex `sqlx migrate info` prints.
 */
export function sqlxChecksum(content: Uint8Array | string): string {
  return createHash('sha384').update(typeof content === 'string' ? Buffer.from(content, 'utf8') : content).digest('hex');
}
