import { diffSnapshots, type CatalogSnapshot } from '../db/catalog.js';
import type { ScratchServer } from '../db/scratch.js';
import type { Project } from './project.js';
import { ownTables, Replay, type OpenLike } from './insight/replay.js';

export type VerifyStatus = 'ok' | 'leaves' | 'down-failed' | 'reup-differs' | 'not-checked';

export interface VerifyResult {
  version: string;
  name: string;
  status: VerifyStatus;
  /** leaves: what the down left (relative to the schema before the up); reup-differs: after the re-up. */
  differences: string[];
  /** down-failed: PostgreSQL's message and the line; not-checked: why. */
  error?: string;
  line?: number;
  file?: string;
}

export interface VerifyReport {
  ok: boolean;
  scratch: string;
  results: VerifyResult[];
  /** Set when an up failed on the empty scratch database: nothing past it could be checked. */
  upFailed?: { version: string; name: string; error: string; line?: number; file?: string };
}

/**
 * On a scratch database: apply every migration, snapshotting after each; then from the top, take each
 * one down (must give the snapshot before its up), up again (must give the snapshot after it), and down
 * again to reach the next. After a mismatch or failure the scratch database is rebuilt up to the
 * migration below, so one bad down does not make every later comparison fail too.
 */
export async function verifyMigrations(project: Project, server: ScratchServer, open: OpenLike): Promise<VerifyReport> {
  const migrations = project.listing.migrations.filter((m) => !m.repeatable);
  const opts = { defaultSchema: project.schema };
  const replay = await Replay.start(server, open, ownTables(project));
  try {
    const snapshots: CatalogSnapshot[] = [await replay.snapshot()];
    for (const m of migrations) {
      const r = await replay.run({ kind: 'up', limit: 1 });
      if (!r.ok) return { ok: false, scratch: server.where, results: [], upFailed: { version: m.version, name: m.name, ...r } };
      snapshots.push(await replay.snapshot());
    }
    const results: VerifyResult[] = [];
    // Invariant at the top of each turn: the scratch database is at migration i, with snapshots[i + 1].
    for (let i = migrations.length - 1; i >= 0; i--) {
      const m = migrations[i]!;
      const base = { version: m.version, name: m.name, differences: [] as string[] };
      const rebuild = async () => {
        await replay.restart();
        if (i > 0) await replay.run({ kind: 'up', limit: i });
      };
      if (!m.down) {
        results.push({ ...base, status: 'not-checked', error: 'no down migration' });
        await rebuild();
        continue;
      }
      const down = await replay.run({ kind: 'down', limit: 1 });
      if (!down.ok) {
        results.push({ ...base, status: 'down-failed', error: down.error, line: down.line, file: down.file });
        await rebuild();
        continue;
      }
      const left = diffSnapshots(snapshots[i]!, await replay.snapshot(), opts);
      if (left.length > 0) {
        results.push({ ...base, status: 'leaves', differences: left });
        await rebuild();
        continue;
      }
      const up = await replay.run({ kind: 'up', limit: 1 });
      const reup = up.ok ? diffSnapshots(snapshots[i + 1]!, await replay.snapshot(), opts) : [];
      if (!up.ok || reup.length > 0) {
        results.push({ ...base, status: 'reup-differs', differences: reup, error: up.ok ? undefined : up.error, line: up.ok ? undefined : up.line });
        await rebuild();
        continue;
      }
      const again = await replay.run({ kind: 'down', limit: 1 });
      if (!again.ok) await rebuild();
      results.push({ ...base, status: 'ok' });
    }
    results.reverse();
    return { ok: results.every((r) => r.status === 'ok' || r.status === 'not-checked'), scratch: server.where, results };
  } finally {
    await replay.close();
  }
}
