import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, query, withClient } from '../helpers/db.js';
import { publicTables } from '../helpers/formats.js';
import { cliOn, copyPlainFixture, stepLines } from './helpers.js';

/** What psql -f does with a file, for a file of plain DDL: its statements sent to the server. */
async function applyByHand(url: string, dir: string, files: string[]): Promise<void> {
  await withClient(url, async (c) => {
    for (const f of files) await c.query(readFileSync(join(dir, f), 'utf8'));
  });
}

const rows = (url: string) =>
  query<{ version: number; description: string; applied_by: string | null; success: boolean }>(url, 'SELECT version, description, applied_by, success FROM schema_migrations ORDER BY version');

describe('plain: a project applied by hand with psql, adopted by baseline', () => {
  it('baseline records exactly 001-002, up runs only 003, status shows 1-3 applied, down 1 runs 003_rollback.sql', async () => {
    const url = await freshDatabase('plain_adopt');
    const dir = copyPlainFixture('project');
    await applyByHand(url, dir, ['001_initial.sql', '002_add_user_indexes.sql']);
    const run = cliOn(dir, url);

    const baseline = await run(['-format', 'plain', 'baseline', '--yes']);
    expect(baseline.code).toBe(0);
    expect(baseline.stdout).toBe('1/baseline initial\n2/baseline add user indexes\n');
    // The plan names the evidence for each migration and what stopped it.
    expect(baseline.stderr).toContain('users: exists');
    expect(baseline.stderr).toContain('idx_users_email: exists');
    expect(baseline.stderr).toContain('audit_logs: missing');
    const user = (await query<{ u: string }>(url, 'SELECT current_user AS u'))[0]!.u;
    expect(await rows(url)).toEqual([
      { version: 1, description: 'initial', applied_by: user, success: true },
      { version: 2, description: 'add user indexes', applied_by: user, success: true },
    ]);
    expect(await publicTables(url)).not.toContain('audit_logs');

    const up = await run(['up']);
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    expect(stepLines(up.stdout)).toEqual(['3/u create audit logs']);
    expect(await publicTables(url)).toEqual(expect.arrayContaining(['audit_logs', 'recent_audit']));

    const status = await run(['status', '--json']);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.format).toBe('plain');
    expect(s.table).toBe('"public"."schema_migrations"');
    expect(s.migrations.map((m: { version: string; state: string; down: boolean }) => [m.version, m.state, m.down])).toEqual([
      ['1', 'applied', false],
      ['2', 'applied', true],
      ['3', 'applied', true],
    ]);

    const down = await run(['down', '1']);
    expect(down.code).toBe(0);
    expect(stepLines(down.stdout)).toEqual(['3/d create audit logs']);
    expect(await publicTables(url)).not.toContain('audit_logs');
    expect((await rows(url)).map((r) => r.version)).toEqual([1, 2]);

    // rollbacks/002_rollback_user_indexes.sql is 2's down.
    const down2 = await run(['down', '1']);
    expect(stepLines(down2.stdout)).toEqual(['2/d add user indexes']);
    expect(await query(url, "SELECT 1 FROM pg_indexes WHERE indexname = 'idx_users_email'")).toEqual([]);
  });

  it('creates exactly the documented table, ignores schema.sql and CHANGELOG.md, and never takes a rollback for a migration', async () => {
    const url = await freshDatabase('plain_table');
    const dir = copyPlainFixture('project');
    const run = cliOn(dir, url);
    const status = JSON.parse((await run(['status', '--json'])).stdout);
    expect(status.format).toBe('plain');
    expect(status.migrations.map((m: { version: string; name: string }) => `${m.version} ${m.name}`)).toEqual(['1 initial', '2 add user indexes', '3 create audit logs']);

    expect((await run(['up'])).code).toBe(0);
    const columns = await query(
      url,
      `SELECT column_name, data_type, character_maximum_length, is_nullable, column_default FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = 'schema_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'integer', character_maximum_length: null, is_nullable: 'NO', column_default: "nextval('schema_migrations_id_seq'::regclass)" },
      { column_name: 'version', data_type: 'integer', character_maximum_length: null, is_nullable: 'NO', column_default: null },
      { column_name: 'description', data_type: 'text', character_maximum_length: null, is_nullable: 'NO', column_default: null },
      { column_name: 'applied_at', data_type: 'timestamp without time zone', character_maximum_length: null, is_nullable: 'NO', column_default: 'CURRENT_TIMESTAMP' },
      { column_name: 'applied_by', data_type: 'character varying', character_maximum_length: 100, is_nullable: 'YES', column_default: null },
      { column_name: 'success', data_type: 'boolean', character_maximum_length: null, is_nullable: 'YES', column_default: 'true' },
    ]);
    const constraints = await query<{ contype: string; def: string }>(
      url,
      "SELECT contype, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'public.schema_migrations'::regclass ORDER BY contype",
    );
    expect(constraints).toEqual([
      { contype: 'p', def: 'PRIMARY KEY (id)' },
      { contype: 'u', def: 'UNIQUE (version)' },
    ]);
  });

  it('a failing file leaves nothing of itself (one simple query) and success = false; repair then up retries it', async () => {
    const url = await freshDatabase('plain_fail');
    const dir = copyPlainFixture('project');
    const run = cliOn(dir, url);
    const good = readFileSync(join(dir, '003_create_audit_logs.sql'), 'utf8');
    writeFileSync(join(dir, '003_create_audit_logs.sql'), `${good}\nSELECT no_such_column FROM audit_logs;\n`);
    const up = await run(['up']);
    expect(up.code).toBe(1);
    expect(stepLines(up.stdout)).toEqual(['1/u initial', '2/u add user indexes']);
    expect(up.stderr).toContain('column "no_such_column" does not exist');
    expect(up.stderr).toContain('success = false');
    // The table the file created before the failing statement was rolled back with it.
    expect(await publicTables(url)).not.toContain('audit_logs');
    expect((await rows(url)).map((r) => [r.version, r.success])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    const status = JSON.parse((await run(['status', '--json'])).stdout);
    expect(status.dirty).toBe(true);
    expect((await run(['up'])).code).toBe(1); // refuses while the failed row is there

    writeFileSync(join(dir, '003_create_audit_logs.sql'), good);
    const repair = await run(['repair']);
    expect(repair.code).toBe(0);
    const retry = await run(['up']);
    expect(retry.code).toBe(0);
    expect(stepLines(retry.stdout)).toEqual(['3/u create audit logs']);
    expect((await rows(url)).map((r) => [r.version, r.success])).toEqual([
      [1, true],
      [2, true],
      [3, true],
    ]);
  });

  it('down refuses a migration without a rollback script, and runs nothing', async () => {
    const url = await freshDatabase('plain_nodown');
    const dir = copyPlainFixture('project');
    rmSync(join(dir, '003_rollback.sql'));
    const run = cliOn(dir, url);
    expect((await run(['up'])).code).toBe(0);
    const down = await run(['down', '1']);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('Migration 3 (create audit logs) has no rollback script');
    expect(await publicTables(url)).toContain('audit_logs');
  });
});
