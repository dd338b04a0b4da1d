import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { LadderError } from '../errors.js';
import { connect } from './connect.js';
import { startEmbedded, type EmbeddedServer } from './embedded.js';
import { quoteIdent } from './quote.js';
import { parseDatabaseUrl, type DatabaseTarget } from './url.js';

/** A database nobody cares about, made for one check and dropped afterwards. */
export interface ScratchDatabase {
  name: string;
  /** Connects like the target (its search_path and other settings), to the scratch database. */
  target: DatabaseTarget;
  /** Where it lives, for messages: "an embedded PostgreSQL 17.6" or the --scratch server (password hidden). */
  where: string;
  drop(): Promise<void>;
}

/** A server Ladder may create and drop its own databases on. */
export interface ScratchServer {
  where: string;
  /** server_version_num, to warn when it is not the target's major version. */
  versionNum: number;
  create(): Promise<ScratchDatabase>;
  close(): Promise<void>;
}

const PREFIX = 'ladder_scratch_';

/**
 * The embedded PostgreSQL (a throw-away data directory, started for this run), or the server of
 * `scratchUrl`. Never the target database: every database Ladder uses there is one it just created.
 */
export async function openScratchServer(like: DatabaseTarget, scratchUrl?: string): Promise<ScratchServer> {
  let embedded: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let admin: DatabaseTarget;
  if (scratchUrl) {
    admin = parseDatabaseUrl(scratchUrl);
  } else {
    dataDir = await mkdtemp(join(tmpdir(), 'ladder-scratch-'));
    try {
      embedded = await startEmbedded({ dataDir, persistent: false });
    } catch (err) {
      await rm(dataDir, { recursive: true, force: true });
      throw new LadderError(
        `Could not start the embedded PostgreSQL for a scratch database: ${(err as Error).message}`,
        'Pass --scratch postgres://USER:PASSWORD@HOST/postgres naming a server where Ladder may create and drop databases.',
      );
    }
    admin = parseDatabaseUrl(embedded.url('postgres'));
  }
  const close = async () => {
    await embedded?.stop().catch(() => undefined);
    if (dataDir) await rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    const versionNum = await withAdmin(admin, async (c) => Number((await c.query('SHOW server_version_num')).rows[0].server_version_num));
    const version = `${Math.floor(versionNum / 10000)}.${versionNum % 100}`;
    const where = scratchUrl ? `the --scratch server ${admin.display}` : `an embedded PostgreSQL ${version}`;
    return {
      where,
      versionNum,
      create: async () => {
        const name = `${PREFIX}${process.pid}_${randomBytes(4).toString('hex')}`;
        await withAdmin(admin, (c) => c.query(`CREATE DATABASE ${quoteIdent(name)}`));
        const target: DatabaseTarget = {
          ...like,
          display: `${name} on ${where}`,
          urlPath: `/${name}`,
          // The scratch server's connection, with the target's settings (search_path, ...).
          config: { ...admin.config, database: name, options: like.config.options, application_name: 'ladder-scratch' },
        };
        return {
          name,
          target,
          where,
          drop: async () => {
            await withAdmin(admin, async (c) => {
              await c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`).catch(() => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`));
            }).catch(() => undefined);
          },
        };
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

async function withAdmin<T>(admin: DatabaseTarget, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = await connect(admin);
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}
