import type { AppliedMigration, LedgerEntry, LedgerRules, RepairAction } from '../driver.js';
import { sqlxChecksumMismatches, sqlxDirtyVersion, sqlxMessages, sqlxRevertPlan, sqlxRunPlan } from './status.js';

const big = (v: string) => BigInt(v);
const byNumber = (a: string, b: string) => (big(a) < big(b) ? -1 : big(a) > big(b) ? 1 : 0);

/**
 * sqlx-cli 0.8.6's rules (sqlx-cli/src/migrate.rs; docs/formats-spec.md §2.5-2.8): run applies every
 * unapplied version in ascending order (out of order silently), after refusing a dirty row, a row with
 * no file, or a changed checksum; revert takes the highest applied version that has a .down.sql.
 */
export const sqlxRules: LedgerRules = {
  entries(listing, rows) {
    const applied = new Map(rows.map((r) => [r.key, r]));
    const mismatch = new Map(sqlxChecksumMismatches(listing.migrations, rows).map((c) => [c.version, c]));
    const out: LedgerEntry[] = [];
    for (const m of listing.migrations) {
      const row = applied.get(m.key);
      const problems = listing.problems.filter((p) => p.key === m.key).map((p) => p.message);
      if (!row) out.push({ key: m.key, migration: m, state: 'pending', label: 'pending', problems });
      else if (!row.success) out.push({ key: m.key, migration: m, row, state: 'dirty', label: 'partially applied (success = false)', problems: [sqlxMessages.dirty(m.key), ...problems] });
      else if (mismatch.has(m.key)) {
        const c = mismatch.get(m.key)!;
        out.push({ key: m.key, migration: m, row, state: 'changed', label: 'installed (different checksum)', checksum: { stored: c.applied, local: c.local }, problems: [sqlxMessages.modified(m.key), ...problems] });
      } else out.push({ key: m.key, migration: m, row, state: 'applied', label: 'installed', problems });
    }
    const known = new Set(listing.migrations.map((m) => m.key));
    for (const row of rows) {
      if (known.has(row.key)) continue;
      out.push({ key: row.key, row, state: row.success ? 'missing' : 'dirty', label: row.success ? 'installed, file missing' : 'partially applied, file missing', problems: [sqlxMessages.missing(row.key)] });
    }
    return out.sort((a, b) => byNumber(a.key, b.key));
  },

  current(_listing, rows) {
    const keys = rows.map((r) => r.key).sort(byNumber);
    return keys[keys.length - 1] ?? null;
  },

  failed: (rows) => sqlxDirtyVersion(rows),

  pending(listing, rows, target) {
    const plan = sqlxRunPlan(listing, rows, target === undefined ? {} : { targetVersion: target });
    if (plan.error) return { apply: [], refusal: { message: plan.error, hint: hintFor(plan.error) } };
    return { apply: plan.apply };
  },

  revertible(listing, rows, target) {
    // A target above the latest applied version (goto forward) has nothing to revert; sqlx's own
    // revert --target-version would call it "newer than the latest applied migration".
    const ahead = target !== undefined && rows.every((r) => big(r.key) <= big(target));
    const plan = sqlxRevertPlan(listing, rows, { targetVersion: ahead ? '0' : (target ?? '0') });
    if (plan.error) return { revert: [], refusal: { message: plan.error, hint: hintFor(plan.error) } };
    if (ahead) return { revert: [] };
    if (target !== undefined) {
      // Going back to a target (goto): sqlx's revert --target-version passes over an applied simple
      // migration above it and leaves it applied, so the database could not end at the target. Say so,
      // instead of the forward pass's "older than the latest applied migration".
      const applied = new Set(rows.map((r) => r.key));
      const stuck = [...listing.migrations].reverse().find((m) => !m.down && applied.has(m.key) && big(m.key) > big(target));
      if (stuck)
        return {
          revert: plan.revert.filter((m) => big(m.key) > big(stuck.key)),
          blocked: {
            key: stuck.key,
            refusal: {
              message: `sqlx cannot revert version ${stuck.key} (${stuck.description}): it is a simple migration with no .down.sql, so the database cannot go back to ${target}.`,
              hint: `sqlx migrate revert passes over it and leaves it applied. Add ${stuck.key}_${stuck.description.replaceAll(' ', '_')}.down.sql (and rename the up file to .up.sql), or "forget ${stuck.key}" to record it as not applied without running anything.`,
            },
          },
        };
    }
    return { revert: plan.revert };
  },

  repair(listing, rows) {
    const actions: RepairAction[] = [];
    for (const r of rows.filter((x: AppliedMigration) => !x.success).sort((a, b) => byNumber(a.key, b.key)))
      actions.push({ kind: 'remove-failed', key: r.key, text: `delete the failed row of version ${r.key} (sqlx's advice: "fix and remove row")` });
    const failed = new Set(rows.filter((x) => !x.success).map((x) => x.key));
    for (const c of sqlxChecksumMismatches(listing.migrations, rows).filter((x) => !failed.has(x.version)))
      actions.push({ kind: 'align-checksum', key: c.version, text: `store the file's checksum for version ${c.version} (was ${c.applied.slice(0, 12)}…, now ${c.local.slice(0, 12)}…)` });
    return { actions };
  },

  noDown: (m) =>
    m.up && /\.up\.sql$/.test(m.up.file)
      ? `${m.up.file} has no ${m.key}_….down.sql: sqlx cannot revert version ${m.key}. Add the .down.sql file.`
      : `${m.up?.file ?? m.key} is a simple migration (no .up.sql/.down.sql pair), so sqlx cannot revert it: sqlx migrate revert skips it and reverts the newest applied migration that has a .down.sql.`,

  compare: byNumber,

  recovery: {
    tool: 'sqlx',
    rerun: 'sqlx migrate run runs it again from its first statement',
    markApplied: "mark it applied with its checksum: insert the row sqlx writes (success, the file's SHA-384) without running anything",
    forget: 'delete its row from _sqlx_migrations without running anything (what sqlx migrate revert deletes)',
    removeFailed: 'fix the file and remove its failed row (sqlx\'s advice for a dirty version)',
    undoUnapplied: true,
  },
  forceMeaning: 'inserts the row sqlx would write (success, the file\'s SHA-384) without running it; sqlx has no force, this is a Ladder extension',
};

function hintFor(error: string): string | undefined {
  if (/partially applied/.test(error)) return 'Fix the database by hand, then "repair" removes the row (sqlx\'s advice), or "force V" records it as done.';
  if (/has been modified/.test(error)) return 'Revert the file to what was applied, or "repair" stores the file\'s new checksum.';
  if (/missing in the resolved migrations/.test(error)) return 'Restore the file (another branch?), or "forget V" removes its row.';
  return undefined;
}
