import type { VersionRules } from '../driver.js';
import { compareNumeric, type Version } from '../types.js';

const BIGINT_MAX = 9223372036854775807n;

/** Whether a canonical decimal version fits PostgreSQL's bigint (where golang-migrate keeps it). */
export function fitsBigint(version: Version): boolean {
  return version.length < 19 || BigInt(version) <= BIGINT_MAX;
}

/** golang-migrate's linear rules: one version and a dirty flag; every version up to the current one counts as applied. */
export const golangMigrateRules: VersionRules = {
  countsBelowCurrent: true,
  // golang-migrate reads versions as uint64: "007" is version 7; force also takes -1.
  canonicalVersion: (text, nil) => ((nil ? /^(-1|\d+)$/ : /^\d+$/).test(text) ? BigInt(text).toString() : null),
  fitsTable: fitsBigint,
  compare: compareNumeric,
  forceMeaning: 'records version V (clean) in schema_migrations without running anything, as migrate force does',
  baselineMeaning: 'what "migrate force V" writes for the last of them: schema_migrations = (V, clean), so everything up to V counts as applied',
  unsupportedHint: 'golang-migrate tracks one version: "force V" records it (and clears dirty).',
};
