import { describeObj, dropSql, reversalGaps, type Gap } from '../reversal.js';
import type { LintFile } from '../types.js';
import { type PairReport, type Rule } from './rule.js';

const CODE = 'down-does-not-reverse';

/** Which evidence a finding rests on, said in every message. */
function evidence(up: LintFile): string {
  const r = up.replayed;
  if (!r) return "Evidence: PostgreSQL's parser's reading of both halves (not replayed on a database; `ladder lint --replay` replays every down on a scratch database).";
  if (r.status === 'down-failed') return `Evidence: the parser, and a replay on a scratch database (${r.where}) where the down failed: ${r.error ?? 'no message'}.`;
  const diffs = r.differences.slice(0, 5).join('; ') + (r.differences.length > 5 ? `; and ${r.differences.length - 5} more` : '');
  return `Evidence: the parser, confirmed by a replay on a scratch database (${r.where}): ${r.status === 'leaves' ? 'after the down' : 'after the down and the up again'}, ${diffs}.`;
}

function gapReport(g: Gap, up: LintFile, down: LintFile): PairReport {
  const c = g.change;
  const what = describeObj(c.obj);
  const ev = evidence(up);
  if (g.problem === 'extra')
    return {
      rule: CODE,
      severity: 'warning',
      half: 'down',
      stmt: c.stmt,
      message: `This down drops ${what}, which its up (${up.file}) does not create: rolling back removes something that was there before the migration, with its data. ${ev}`,
      fix: `Drop only what the up creates; if ${what} must go, drop it in an up migration of its own.`,
    };
  if (g.problem === 'forgotten')
    return {
      rule: CODE,
      severity: 'warning',
      half: 'up',
      stmt: c.stmt,
      message: `This creates ${what}, and the down (${down.file}) does not drop it: after a rollback it is still there, so running this up again fails ("already exists") and the schema is not what the earlier migrations left. ${ev}`,
      fix: `Add ${dropSql(c.obj)} to the down (${down.file}).`,
    };
  const undo: Record<string, string> = {
    drop: `This drops ${what}, and the down (${down.file}) does not create it again`,
    rename: `This renames ${what} to ${c.how === 'rename' ? c.to : '?'}, and the down (${down.file}) does not rename it back`,
    type: `This changes the type of ${what}, and the down (${down.file}) does not change it back`,
    'set-not-null': `This makes ${what} NOT NULL, and the down (${down.file}) does not DROP NOT NULL`,
    'drop-not-null': `This drops NOT NULL from ${what}, and the down (${down.file}) does not SET NOT NULL again`,
  };
  return {
    rule: CODE,
    severity: 'warning',
    half: 'up',
    stmt: c.stmt,
    message: `${undo[c.how]}: after a rollback the schema is not what the earlier migrations left. ${ev}`,
    fix: `Write the statement in the down that puts ${what} back as it was before this up.`,
  };
}

/** The down must undo its up: drop what it creates, restore what it drops or changes, and drop nothing else. */
export const downDoesNotReverse: Rule = {
  code: CODE,
  summary: 'a down that does not undo its up: it leaves what the up creates, does not restore what the up drops or changes, or drops what the up did not create',
  checkPair(up, down) {
    if (!up.parsed.ok || !down.parsed.ok) return [];
    const replay = up.replayed;
    // The replay saw the schema come back exactly: the catalog wins over the parser's reading.
    if (replay?.status === 'ok') return [];
    const reports = reversalGaps(up.parsed.statements, down.parsed.statements).map((g) => gapReport(g, up, down));
    if (reports.length > 0 || !replay) return reports;
    // The parser saw nothing (dynamic SQL), the replay did: report it at the down's first statement.
    const first = down.parsed.statements[0];
    if (!first) return [];
    return [
      {
        rule: CODE,
        severity: 'warning',
        half: 'down',
        stmt: first,
        message: `This down does not restore the schema its up (${up.file}) started from. ${evidence(up)}`,
        fix: 'Make the down undo exactly what the up does (the differences above).',
      },
    ];
  },
};
