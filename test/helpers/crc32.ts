/** Standard (IEEE) CRC-32 as java.util.zip.CRC32 computes it, table-driven, independent of node:zlib. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 of the chunks fed one after another (CRC32.update per chunk), unsigned. */
export function crc32(...chunks: Buffer[]): number {
  let c = 0xffffffff;
  for (const chunk of chunks) for (const b of chunk) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
