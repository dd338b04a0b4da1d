import { crc32 } from '../crc32.js';

/**
 * Flyway's checksum (internal/resolver/ChecksumCalculator.java; docs/formats-spec.md §3.4): CRC-32 fed
 * with the UTF-8 bytes of each line as BufferedReader.readLine returns it (terminators \n, \r, \r\n
 * dropped), a U+FEFF removed from the start of the first line; `(int)` of the value, so signed.
 * Streaming CRC-32 over lines equals one CRC-32 over the text with every CR and LF deleted.
 */
export function flywayChecksum(text: string): number {
  const body = (text.startsWith('\uFEFF') ? text.slice(1) : text).replace(/[\r\n]/g, '');
  return crc32(Buffer.from(body, 'utf8')) | 0;
}
