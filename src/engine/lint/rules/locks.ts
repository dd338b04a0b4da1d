import { alterCmds, relOf, relText, strings, type Node, type RelName } from '../ast.js';
import { report, type Rule } from './rule.js';

/** ALTER TABLE subcommands that take less than ACCESS EXCLUSIVE. */
const LIGHTER = new Set(['AT_ValidateConstraint', 'AT_SetStatistics', 'AT_ClusterOn', 'AT_DropCluster', 'AT_SetRelOptions', 'AT_ResetRelOptions', 'AT_AttachPartition', 'AT_EnableTrig', 'AT_DisableTrig', 'AT_EnableTrigAll', 'AT_DisableTrigAll', 'AT_EnableTrigUser', 'AT_DisableTrigUser', 'AT_ReplicaIdentity']);

function isLighter(c: Node): boolean {
  if (LIGHTER.has(c.subtype)) return true;
  if (c.subtype === 'AT_DetachPartition' && c.def?.PartitionCmd?.concurrent) return true;
  // A foreign key takes SHARE ROW EXCLUSIVE.
  return c.subtype === 'AT_AddConstraint' && c.def?.Constraint?.contype === 'CONSTR_FOREIGN';
}

/** The existing tables a statement locks ACCESS EXCLUSIVE. */
function accessExclusive(kind: string, n: Node): RelName[] {
  switch (kind) {
    case 'AlterTableStmt':
      return n.objtype === 'OBJECT_TABLE' && alterCmds(n).some((c) => !isLighter(c)) && relOf(n.relation) ? [relOf(n.relation)!] : [];
    case 'RenameStmt':
      return (n.renameType === 'OBJECT_TABLE' || n.renameType === 'OBJECT_COLUMN') && relOf(n.relation) ? [relOf(n.relation)!] : [];
    case 'TruncateStmt':
      return (n.relations ?? []).map((x: Node) => relOf(x.RangeVar)).filter(Boolean);
    case 'DropStmt':
      if (n.removeType !== 'OBJECT_TABLE') return [];
      return (n.objects ?? []).map((o: Node) => {
        const p = strings(o.List?.items);
        return p.length > 1 ? { schema: p[p.length - 2], name: p[p.length - 1]! } : { name: p[0] ?? '' };
      });
    case 'VacuumStmt':
      return (n.options ?? []).some((o: Node) => o.DefElem?.defname === 'full') ? (n.rels ?? []).map((x: Node) => relOf(x.VacuumRelation?.relation)).filter(Boolean) : [];
    case 'ClusterStmt':
      return relOf(n.relation) ? [relOf(n.relation)!] : [];
    default:
      return [];
  }
}

export const lockTimeout: Rule = {
  code: 'lock-timeout',
  summary: 'an ACCESS EXCLUSIVE statement on an existing table with no lock_timeout set before it',
  check({ kind, node, model, lockTimeout: set }) {
    if (set) return [];
    // A live table known to be empty is not yet one users depend on: its lock is brief and unqueued.
    const hit = accessExclusive(kind, node).find((r) => {
      const t = model.existing(r);
      return t !== undefined && model.rows(t).some !== false;
    });
    if (!hit) return [];
    return [
      report(
        this.code,
        'warning',
        `This takes an ACCESS EXCLUSIVE lock on ${relText(hit)} with no lock_timeout: while it waits behind any long-running query on ${relText(hit)}, every other query on the table queues behind it (an outage even when the statement itself is quick).`,
        `Start the file with SET lock_timeout = '5s'; (and retry the migration if it times out), or set it for the migration role.`,
      ),
    ];
  },
};
