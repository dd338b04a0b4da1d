import type { Direction, Version } from '../types.js';

export interface ParsedName {
  version: Version;
  name: string;
  direction: Direction;
  ext: string;
}

// golang-migrate's source.Regex: greedy middle, so "1_a.up.b.up.sql" has name "a.up.b".
const PATTERN = /^([0-9]+)_(.*)\.(down|up)\.(.*)$/s;
const UINT64_MAX = 18446744073709551615n;

/** Parses a golang-migrate file name, or returns null for files the tool would skip. */
export function parseMigrationName(file: string): ParsedName | null {
  const m = PATTERN.exec(file);
  if (!m) return null;
  const version = BigInt(m[1]!);
  if (version > UINT64_MAX) return null; // strconv.ParseUint fails: the file is not a migration
  return { version: version.toString(), name: m[2]!, direction: m[3] as Direction, ext: m[4]! };
}
