import { crc32 } from '../crc32.js';

/** The literal in sqlx-postgres/src/migrate.rs `generate_lock_id` ("chosen by fair dice roll"). */
export const SQLX_LOCK_SALT = 0x3d32ad9en;

/**
 * `0x3d32ad9e * (CRC_32_ISO_HDLC(current_database()) as i64)`: the IEEE CRC-32 widened to i64, so the
 * product never overflows and is never negative. Taken by the sqlx library's `Migrator` with
 * `SELECT pg_advisory_lock($1)`; sqlx-cli takes no lock.
 */
export function sqlxLockId(databaseName: string): string {
  return String(SQLX_LOCK_SALT * BigInt(crc32(Buffer.from(databaseName, 'utf8'))));
}
