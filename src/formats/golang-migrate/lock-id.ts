import { crc32 } from '../crc32.js';

const SALT = 1486364155;

/**
 * golang-migrate's database.GenerateAdvisoryLockId: crc32(IEEE) of the names joined by NUL,
 * times a salt, wrapped to uint32. Called with (dbName, schema, table) it hashes
 * "schema\0table\0dbName"; the CLI passes dbName as the URL path with its leading slash.
 */
export function advisoryLockId(databaseName: string, ...additionalNames: string[]): string {
  const key = additionalNames.length > 0 ? [...additionalNames, databaseName].join('\0') : databaseName;
  const sum = crc32(Buffer.from(key, 'utf8'));
  return String(Math.imul(sum, SALT) >>> 0);
}
