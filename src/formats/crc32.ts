import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);
let zlib: typeof import('node:zlib') | undefined;

/**
 * CRC-32 (IEEE), node:zlib's. node:zlib is loaded on first use: in the one-file bundle a static import
 * would load it for every command, and status never needs it.
 */
export function crc32(data: string | Buffer): number {
  zlib ??= load('node:zlib') as typeof import('node:zlib');
  return zlib.crc32(data);
}
