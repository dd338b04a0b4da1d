import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { freshDatabase, query, trackingRows } from '../helpers/db.js';
import { BIN, cleanEnv, migrationsDir, startLadder, waitFor } from '../helpers/cli.js';

/** Runs `script` in bash with the ladder binary as $0; returns its exit code and both streams. */
function bash(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', script, BIN, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((res) => child.on('close', (code) => res({ code, stdout, stderr })));
}

// A shell's `$?` for a program that wrote to a pipe nobody reads any more: 128 + SIGPIPE.
const READER_GONE = 141;

describe('a closed stdout', () => {
  it('`ladder status | head -1` ends quietly with 141, like any program whose reader went away', async () => {
    const url = await freshDatabase('closed_status');
    // Far more than a pipe's 64 KiB buffer, so status is still writing when head exits.
    const files: Record<string, string> = {};
    for (let i = 1; i <= 2000; i++) files[`${String(i).padStart(6, '0')}_migration_with_a_long_name_${i}.up.sql`] = 'select 1;';
    const dir = migrationsDir(files);
    const r = await bash('"$0" -path "$1" -database "$2" status | head -1; echo "ladder exited ${PIPESTATUS[0]}" >&2', [dir, url]);
    expect(r.stdout).toMatch(/^database {2}postgres:\/\/.*\n$/);
    expect(r.stderr).toBe(`ladder exited ${READER_GONE}\n`); // no EPIPE, no stack trace
  });

  it('`ladder --version` into a pipe already closed ends quietly with 141', async () => {
    const run = startLadder(['--version']);
    run.child.stdout!.destroy(); // closed before the process has even started
    const r = await run.result;
    expect(r.code).toBe(READER_GONE);
    expect(r.stderr).toBe('');
  });

  it('a migration run goes on unprinted to its end and exits with its own code', async () => {
    const url = await freshDatabase('closed_up');
    const gate = new pg.Client({ connectionString: url });
    await gate.connect();
    await gate.query('select pg_advisory_lock(4242)'); // step 2 waits for it until the reader has gone
    const dir = migrationsDir({
      '1_one.up.sql': 'create table one (id int);',
      '2_two.up.sql': 'select pg_advisory_xact_lock(4242);\ncreate table two (id int);',
      '3_three.up.sql': 'create table three (id int);',
      '4_broken.up.sql': 'select * from no_such_table;',
    });
    const run = startLadder(['-path', dir, '-database', url, 'up']);
    await waitFor(() => run.stdout().includes('1/u one'));
    run.child.stdout!.destroy(); // the reader goes away; step 2's line is the first write that fails
    await gate.end();
    const r = await run.result;
    expect(r.code).toBe(1); // up's own code: step 4 failed
    expect(r.stderr).toContain('no_such_table');
    expect(r.stderr).not.toContain('EPIPE');
    expect(await trackingRows(url)).toEqual([{ version: '4', dirty: true }]);
    expect(await query(url, "select to_regclass('public.two')::text two, to_regclass('public.three')::text three")).toEqual([{ two: 'two', three: 'three' }]);
    expect(await query(url, 'select version::text, outcome from ladder_journal order by id')).toEqual([
      { version: '1', outcome: 'ok' },
      { version: '2', outcome: 'ok' },
      { version: '3', outcome: 'ok' },
      { version: '4', outcome: 'failed' },
    ]);
  });
});
