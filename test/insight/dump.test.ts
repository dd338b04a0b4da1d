import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trimLeadingComments } from '../../src/db/pg-dump.js';
import { freshDatabase, query } from '../helpers/db.js';
import { migrationsDir } from '../helpers/cli.js';
import { ladderIn } from './helpers.js';

describe('dump', () => {
  it("trims pg_dump's header as dbmate does", () => {
    expect(trimLeadingComments('--\n-- PostgreSQL database dump\n--\n\nSET x = 1;   \n\n--\nCREATE TABLE t ();\n')).toBe('SET x = 1;\n\n--\nCREATE TABLE t ();\n');
  });

  it('without a pg_dump able to dump the server, says which it found and how to get one; writes nothing', async () => {
    const url = await freshDatabase('dump_missing');
    const dir = migrationsDir({ '1_t.up.sql': 'create table t (id int);' });
    const out = join(mkdtempSync(join(tmpdir(), 'dump-')), 'db', 'schema.sql');
    const serverMajor = Math.floor(Number((await query(url, 'show server_version_num'))[0]!.server_version_num) / 10000);
    expect((await ladderIn(['-path', dir, '-database', url, 'up'])).code).toBe(0);
    // An empty PATH and no newer client: the server (embedded 17 here) is newer than Debian's pg_dump 15.
    const r = await ladderIn(['-path', dir, '-database', url, 'dump', '--schema-file', out], { PATH: '/nonexistent' });
    if (r.code === 0) {
      // A pg_dump new enough lives beside the server or in /usr/lib/postgresql: then it really wrote dbmate's file.
      expect(r.stdout).toBe(`Writing: ${out}\n`);
      return;
    }
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error: dump needs pg_dump ${serverMajor} or newer (the server is PostgreSQL ${serverMajor}); nothing was written.`);
    expect(r.stderr).toContain(`apt-get install postgresql-client-${serverMajor}`);
    expect(existsSync(out)).toBe(false);
  });
});
