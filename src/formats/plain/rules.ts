import type { AppliedMigration, LedgerEntry, LedgerRules, RepairAction } from '../driver.js';

const byNumber = (a: string, b: string) => Number(a) - Number(b);

const failedText = (v: string) => `migration ${v} failed part-way (success = false in schema_migrations)`;

/**
 * Ladder's rules for a plain-SQL project (there is no tool to copy): up applies every file without a
 * row, in numeric order; a failed row stops everything until it is repaired or forced; down takes the
 * highest applied migration, which needs its rollback script.
 */
export const plainRules: LedgerRules = {
  entries(listing, rows) {
    const applied = new Map(rows.map((r) => [r.key, r]));
    const out: LedgerEntry[] = [];
    for (const m of listing.migrations) {
      const row = applied.get(m.key);
      const problems = listing.problems.filter((p) => p.key === m.key).map((p) => p.message);
      if (!row) out.push({ key: m.key, migration: m, state: 'pending', label: 'pending', problems });
      else if (!row.success) out.push({ key: m.key, migration: m, row, state: 'dirty', label: 'failed (success = false)', problems: [failedText(m.key), ...problems] });
      else out.push({ key: m.key, migration: m, row, state: 'applied', label: 'applied', problems });
    }
    const known = new Set(listing.migrations.map((m) => m.key));
    for (const row of rows) {
      if (known.has(row.key)) continue;
      out.push({ key: row.key, row, state: row.success ? 'missing' : 'dirty', label: row.success ? 'applied, file missing' : 'failed, file missing', problems: [`schema_migrations records ${row.key}, but no ${row.key}_<name>.sql is in the folder`] });
    }
    return out.sort((a, b) => byNumber(a.key, b.key));
  },

  current(_listing, rows) {
    const keys = rows.filter((r) => r.success).map((r) => r.key).sort(byNumber);
    return keys[keys.length - 1] ?? null;
  },

  failed(rows) {
    return rows.filter((r) => !r.success).map((r) => r.key).sort(byNumber)[0] ?? null;
  },

  pending(listing, rows, target) {
    const failed = this.failed(rows);
    if (failed !== null) return { apply: [], refusal: { message: failedText(failed), hint: `Fix the schema by hand, then "ladder repair" deletes the failed row (so "ladder up" retries it), or "ladder force ${failed}" records it as done.` } };
    const bad = listing.problems.find((p) => p.kind === 'unparsable');
    if (bad) return { apply: [], refusal: { message: bad.message, hint: 'Rename the file; nothing runs while a name cannot be read.' } };
    const applied = new Set(rows.map((r) => r.key));
    const apply = listing.migrations.filter((m) => !applied.has(m.key) && (target === undefined || byNumber(m.key, target) <= 0));
    return { apply };
  },

  revertible(listing, rows, target) {
    const failed = this.failed(rows);
    if (failed !== null) return { revert: [], refusal: { message: failedText(failed), hint: 'Deal with the failed row first ("ladder repair" or "ladder force").' } };
    const applied = new Set(rows.map((r) => r.key));
    const revert = [];
    for (const m of [...listing.migrations].reverse()) {
      if (!applied.has(m.key) || (target !== undefined && byNumber(m.key, target) <= 0)) continue;
      if (!m.down)
        return {
          revert,
          blocked: { key: m.key, refusal: { message: `Migration ${m.key} (${m.description}) has no rollback script, so it cannot be rolled back.`, hint: `Add ${m.up?.file.replace(/_.*$/, '') ?? m.key}_rollback.sql, or "ladder forget ${m.key}" to record it as not applied without running anything.` } },
        };
      revert.push(m);
    }
    return { revert };
  },

  repair(_listing, rows) {
    const actions: RepairAction[] = rows
      .filter((r: AppliedMigration) => !r.success)
      .sort((a, b) => byNumber(a.key, b.key))
      .map((r) => ({ kind: 'remove-failed', key: r.key, text: `delete the failed row of version ${r.key} (so "ladder up" runs it again)` }));
    return { actions };
  },

  noDown: (m) => `${m.up?.file ?? m.key} has no rollback script (${m.key.padStart(3, '0')}_rollback.sql or rollbacks/${m.key.padStart(3, '0')}_rollback_*.sql), so it cannot be rolled back.`,

  compare: byNumber,

  recovery: {
    tool: 'Ladder (plain SQL)',
    rerun: 'ladder up runs it again from its first statement',
    markApplied: 'insert its row (success = true) into schema_migrations without running the file',
    forget: 'delete its row from schema_migrations without running anything',
    removeFailed: 'ladder repair deletes the failed row',
    undoUnapplied: true,
  },
  forceMeaning: 'inserts the row (version, description, applied_by = the database user, success = true) without running the file',
};
