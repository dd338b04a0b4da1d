import type { Direction, Version } from '../types.js';

export interface ParsedName {
  version: Version;
  name: string;
  direction: Direction;
  ext: string;
}

// golang-migrate's source.Regex, ^([0-9]+)_(.*)\.(down|up)\.(.*)$, matched by hand: the greedy middle
// means the rightmost ".up." or ".down." decides ("1_a.up.b.up.sql" has name "a.up.b"). By hand because
// this runs for every file of a 10,000-file folder, and a regex match allocates its array and captures.
const UINT64_MAX = '18446744073709551615';

/** Where the version's digits end (the index of the "_" after them), or -1 when the name does not start with digits and "_". */
function versionEnd(file: string): number {
  let end = 0;
  for (let c = file.charCodeAt(0); c >= 48 && c <= 57; c = file.charCodeAt(++end));
  return end > 0 && file.charCodeAt(end) === 95 ? end : -1;
}

/** Index of the "." that starts the direction (the rightmost ".up." or ".down."), or -1. */
function directionAt(file: string): number {
  return Math.max(file.lastIndexOf('.up.'), file.lastIndexOf('.down.'));
}

/** Whether golang-migrate takes the file as a migration ({@link parseMigrationName} without building the result). */
export function isMigrationName(file: string): boolean {
  const end = versionEnd(file);
  if (end < 0 || directionAt(file) < 0) return false;
  if (end < UINT64_MAX.length) return true; // short enough to be a uint64 whatever its digits (no allocation)
  return parseMigrationName(file) !== null;
}

/** Parses a golang-migrate file name, or returns null for files the tool would skip. */
export function parseMigrationName(file: string): ParsedName | null {
  const end = versionEnd(file);
  if (end < 0) return null;
  const at = directionAt(file); // always after the "_": the version's digits hold no "."
  if (at < 0) return null;
  // Canonical decimal ("007" is version 7) without BigInt.
  let zeros = 0;
  while (zeros < end - 1 && file.charCodeAt(zeros) === 48) zeros++;
  const digits = end - zeros;
  if (digits > UINT64_MAX.length) return null; // strconv.ParseUint fails: not a migration
  const version = zeros === 0 ? file.slice(0, end) : file.slice(zeros, end);
  if (digits === UINT64_MAX.length && version > UINT64_MAX) return null;
  const direction: Direction = file.charCodeAt(at + 1) === 117 ? 'up' : 'down'; // 'u'
  return { version, name: file.slice(end + 1, at), direction, ext: file.slice(at + (direction === 'up' ? 4 : 6)) };
}
