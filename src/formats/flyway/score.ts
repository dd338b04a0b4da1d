import { hasMigrationShape, parseFlywayName } from './parse-name.js';

/**
 * Name-only score in [0, 1]: the share of .sql files named as Flyway migrations (valid V, R or U names).
 * Flyway's `V1__x.sql` shape is its own, so a full match scores 1.
 */
export function flywayFolderScore(fileNames: string[]): number {
  const sql = fileNames.filter((f) => f.toLowerCase().endsWith('.sql'));
  if (sql.length === 0) return 0;
  return sql.filter(isFlywayMigrationName).length / sql.length;
}

/** Whether Flyway takes the file as a versioned, undo or repeatable migration (default prefixes V, U, R). */
export function isFlywayMigrationName(f: string): boolean {
  const p = parseFlywayName(f);
  return (p.kind === 'versioned' || p.kind === 'undo' || p.kind === 'repeatable') && hasMigrationShape(f, p.prefix);
}

