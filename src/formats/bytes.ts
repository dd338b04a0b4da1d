import { LadderError } from '../errors.js';

// ignoreBOM: a BOM stays in the text, as the tools send it.
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A migration file's text, exactly as its bytes say. Nothing is re-encoded: bytes that are not UTF-8
 * (a Latin-1 'é') would otherwise become U+FFFD and be stored as such, where the tools send the bytes
 * and PostgreSQL refuses them; a NUL byte (or a binary file) cannot be sent at all. Both are refused
 * with the file, line and byte offset, and without echoing the bytes themselves.
 */
export function decodeMigration(bytes: Uint8Array, path: string): string {
  const nul = bytes.indexOf(0);
  if (nul !== -1)
    throw new LadderError(
      `${path} contains a NUL byte at line ${lineAt(bytes, nul)}, byte offset ${nul}: it looks like a binary file, not SQL (PostgreSQL cannot take NUL bytes in a query).`,
      'Nothing was run. Check that this is the migration you meant (a compressed or UTF-16 file?); save it as UTF-8 text.',
    );
  try {
    return strict.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const shown = [...bytes.subarray(at, Math.min(at + 4, bytes.length))].map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
    throw new LadderError(
      `${path} is not valid UTF-8: line ${lineAt(bytes, at)}, byte offset ${at} (bytes ${shown}). Ladder sends a file's bytes as they are, and PostgreSQL would refuse these.`,
      'Nothing was run. Save the file as UTF-8 (for a Latin-1 file: iconv -f LATIN1 -t UTF-8 FILE > FILE.utf8), then try again.',
    );
  }
}

/** " (line 3, byte offset 57)": where the first invalid UTF-8 sequence is, to follow a tool's own message. */
export function invalidUtf8Where(bytes: Uint8Array): string {
  const at = firstInvalidUtf8(bytes);
  return at < 0 ? '' : ` (line ${lineAt(bytes, at)}, byte offset ${at})`;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return -1;
}
