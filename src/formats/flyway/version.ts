import { LadderError } from '../../errors.js';

/**
 * Flyway's MigrationVersion (flyway-core/.../api/MigrationVersion.java; docs/formats-spec.md §3.3):
 * `_` becomes `.`, and that text (`displayText`) is what Flyway stores and shows. Comparison is numeric,
 * part by part, with trailing zero parts dropped: 1 == 1.0 == 01, 1.10 > 1.9.
 */
export interface FlywayVersion {
  /** The text Flyway stores in flyway_schema_history.version. */
  display: string;
  /** BigInteger parts, trailing zeros dropped (at least one part kept). */
  parts: bigint[];
}

/** `\.(?=\d)`: a dot followed by a digit separates parts; any other dot makes a part invalid. */
const SPLIT = /\.(?=\d)/;
/** `new BigInteger(part)`: optional sign, then digits (ASCII here; Java also takes other Unicode digits). */
const BIG_INTEGER = /^[+-]?[0-9]+$/;

export function invalidVersionMessage(display: string): string {
  return `Version may only contain 0..9 and . (dot). Invalid version: ${display}`;
}

export function tryParseFlywayVersion(raw: string): FlywayVersion | null {
  const display = raw.replaceAll('_', '.');
  const parts: bigint[] = [];
  for (const part of display.split(SPLIT)) {
    if (!BIG_INTEGER.test(part)) return null;
    parts.push(BigInt(part));
  }
  while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop();
  return { display, parts };
}

export function parseFlywayVersion(raw: string): FlywayVersion {
  const v = tryParseFlywayVersion(raw);
  if (!v) throw new LadderError(invalidVersionMessage(raw.replaceAll('_', '.')));
  return v;
}

/** MigrationVersion.compareTo: part by part, the shorter padded with zeros. */
export function compareFlywayVersions(a: FlywayVersion | string, b: FlywayVersion | string): number {
  const x = typeof a === 'string' ? parseFlywayVersion(a).parts : a.parts;
  const y = typeof b === 'string' ? parseFlywayVersion(b).parts : b.parts;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0n;
    const q = y[i] ?? 0n;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

/**
 * One text per equal version ("1", "1.0" and "01" all give "1"): Ladder's key for a versioned Flyway
 * migration, so files and history rows match the way Flyway matches them (numerically).
 */
export function canonicalFlywayVersion(v: FlywayVersion | string): string {
  const parts = typeof v === 'string' ? parseFlywayVersion(v).parts : v.parts;
  return parts.map((p) => String(p)).join('.');
}
