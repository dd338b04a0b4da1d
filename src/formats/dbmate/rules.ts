import type { FormatListing, FormatMigration, LedgerEntry, LedgerRefusal, LedgerRules } from '../driver.js';
import { LadderError } from '../../errors.js';
import type { DbmateMigration } from './source.js';

/**
 * dbmate's rules (pkg/dbmate/db.go; docs/formats-spec.md §1.4-1.7): a migration is applied when its
 * version has a row; migrate applies every pending file in file-name order (out of order allowed);
 * rollback takes the last applied file in file-name order. No failure flag, no checksums, no repair.
 */
export const dbmateRules: LedgerRules = {
  entries(listing, rows) {
    const applied = new Set(rows.map((r) => r.key));
    const out: LedgerEntry[] = listing.migrations.map((m) => {
      const problems = problemsOf(listing, m);
      return applied.has(m.key)
        ? { key: m.key, migration: m, row: rows.find((r) => r.key === m.key), state: 'applied', label: '[X]', problems }
        : { key: m.key, migration: m, state: 'pending', label: '[ ]', problems };
    });
    const known = new Set(listing.migrations.map((m) => m.key));
    for (const row of rows)
      if (!known.has(row.key))
        out.push({ key: row.key, row, state: 'missing', label: 'applied, no file', problems: ['dbmate status does not list it: the row has no file (rollback skips it)'] });
    return out;
  },

  current(listing, rows) {
    const applied = new Set(rows.map((r) => r.key));
    const last = [...listing.migrations].reverse().find((m) => applied.has(m.key));
    return last?.key ?? null;
  },

  failed: () => null, // dbmate records a version only once its section has run

  pending(listing, rows, target) {
    const stop = target === undefined ? listing.migrations.length - 1 : indexOf(listing, target);
    const applied = new Set(rows.map((r) => r.key));
    const apply: FormatMigration[] = [];
    for (const m of listing.migrations.slice(0, stop + 1)) {
      if (applied.has(m.key)) continue;
      if (!m.up) return { apply, refusal: cannotRun(m, 'apply') };
      apply.push(m);
    }
    return { apply };
  },

  revertible(listing, rows, target) {
    const floor = target === undefined ? -1 : indexOf(listing, target);
    const applied = new Set(rows.map((r) => r.key));
    const revert: FormatMigration[] = [];
    for (let i = listing.migrations.length - 1; i > floor; i--) {
      const m = listing.migrations[i]!;
      if (!applied.has(m.key)) continue;
      if (!m.down) return { revert, blocked: { key: m.key, refusal: cannotRun(m, 'roll back') } };
      revert.push(m);
    }
    return { revert };
  },

  repair: () => ({
    actions: [],
    refusal: {
      message: 'dbmate keeps no checksums and no failure flag, so there is nothing to repair.',
      hint: 'To record a migration as applied or not without running it, use force V or forget V.',
    },
  }),

  noDown: (m) => `dbmate cannot roll back ${(m as Partial<DbmateMigration>).file ?? m.up?.file ?? m.key}: it has no down section. Add a '-- migrate:down' section to the file.`,

  compare: (a, b) => (a < b ? -1 : a > b ? 1 : 0),

  recovery: {
    tool: 'dbmate',
    rerun: 'dbmate migrate runs it again from its first statement',
    markApplied: "insert its version into schema_migrations without running anything (the row dbmate writes; dbmate has no force)",
    forget: 'delete its row from schema_migrations without running anything (forget)',
    removeFailed: 'dbmate keeps no failed rows',
    undoUnapplied: true,
  },
  forceMeaning: 'inserts its row into schema_migrations without running it (dbmate has no force; this is the row dbmate would write)',
};

function indexOf(listing: FormatListing, version: string): number {
  const i = listing.migrations.findIndex((m) => m.key === version);
  if (i < 0) throw new LadderError(`No dbmate migration has version ${version}.`, 'dbmate versions are the leading digits of the file name, exactly ("001" and "1" differ); "ladder status" lists them.');
  return i;
}

function problemsOf(listing: FormatListing, m: FormatMigration): string[] {
  return listing.problems.filter((p) => p.key === m.key).map((p) => p.message);
}

function cannotRun(m: FormatMigration, what: string): LedgerRefusal {
  const d = m as Partial<DbmateMigration>;
  const file = d.file ?? m.up?.file ?? m.key;
  if (d.problem?.kind === 'unsupported') return { message: d.problem.message };
  if (what === 'roll back' && m.up)
    return {
      message: `dbmate cannot roll back ${file}: it has no down section.`,
      hint: "Add a '-- migrate:down' section to the file, or record it as not applied without running anything (forget).",
    };
  return {
    message: `dbmate cannot ${what} ${file}: ${d.dbmateError ?? 'dbmate cannot parse it'}.`,
    hint: "A dbmate file has one '-- migrate:up' line (only blank and comment lines before it) and one '-- migrate:down' line after it.",
  };
}


/**
 * `dbmate --strict` (DBMATE_STRICT): migrate refuses, before applying anything, when the first pending
 * file's version is not above the highest applied one (versions compared as text, as dbmate does).
 */
export const dbmateStrictRules: LedgerRules = {
  ...dbmateRules,
  pending(listing, rows, target) {
    const plan = dbmateRules.pending(listing, rows, target);
    const first = plan.apply[0];
    if (!first) return plan;
    const applied = new Set(rows.map((r) => r.key));
    let highest = '';
    for (const m of listing.migrations) if (applied.has(m.key) && highest <= m.key) highest = m.key;
    if (first.key > highest) return plan;
    return {
      apply: [],
      refusal: {
        message: `migration \`${first.key}\` is out of order with already applied migrations, the version number has to be higher than the applied migration \`${highest}\` in --strict mode`,
        hint: `Give ${first.up?.file ?? first.key} a version above ${highest}, or run without --strict / DBMATE_STRICT to apply it out of order.`,
      },
    };
  },
};
