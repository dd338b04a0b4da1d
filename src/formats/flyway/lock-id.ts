/** PostgreSQLAdvisoryLockTemplate.LOCK_MAGIC_NUM: ASCII "Flyway" as a number, 0x466C79776179. */
export const FLYWAY_LOCK_MAGIC = 77431708279161n;

/** Java's String.hashCode: h = 31*h + c over UTF-16 code units, wrapping at 32 bits. */
export function javaStringHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/** PostgreSQLDatabase.doQuote: wrap in double quotes, doubling any inside. */
export function flywayQuote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** How Flyway prints the history table (Table.toString): "schema"."table". */
export function flywayTableName(schema: string, table: string): string {
  return `${flywayQuote(schema)}.${flywayQuote(table)}`;
}

/**
 * LOCK_MAGIC_NUM + table.toString().hashCode(): long + int, so a negative hash lowers the key. Flyway
 * takes it with pg_try_advisory_xact_lock (default) or pg_try_advisory_lock, retrying every second.
 */
export function flywayLockId(quotedTable: string): string {
  return String(FLYWAY_LOCK_MAGIC + BigInt(javaStringHashCode(quotedTable)));
}
