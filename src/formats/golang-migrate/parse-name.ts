import type { Direction, Version } from '../types.js';

export interface ParsedName {
  version: Version;
  name: string;
  direction: Direction;
  ext: string;
}

// golang-migrate's source.Regex: greedy middle, so "1_a.up.b.up.sql" has name "a.up.b".
const PATTERN = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/s;
const UINT64_MAX = '18446744073709551615';

/** Whether golang-migrate takes the file as a migration ({@link parseMigrationName} without building the result). */
export function isMigrationName(file: string): boolean {
  if (!PATTERN.test(file)) return false;
  let end = 0;
  while (file.charCodeAt(end) >= 48 && file.charCodeAt(end) <= 57) end++;
  if (end < UINT64_MAX.length) return true; // short enough to be a uint64 whatever its digits (no allocation)
  return parseMigrationName(file) !== null;
}

/** Parses a golang-migrate file name, or returns null for files the tool would skip. */
export function parseMigrationName(file: string): ParsedName | null {
  const m = PATTERN.exec(file);
  if (!m) return null;
  // Canonical decimal ("007" is version 7) without BigInt: this runs for every file of a 10,000-file folder.
  const digits = m[1]!.replace(/^0+(?=\d)/, '');
  if (digits.length > UINT64_MAX.length || (digits.length === UINT64_MAX.length && digits > UINT64_MAX)) return null; // strconv.ParseUint fails: not a migration
  return { version: digits, name: m[2]!, direction: m[3] as Direction, ext: m[4]! };
}
