import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabase } from '../helpers/db.js';
import { publicTables } from '../helpers/formats.js';
import { projectEvidence } from '../../src/formats/project-evidence.js';
import { decideFormat, type FormatName } from '../../src/formats/detect.js';
import { cliOn, copyPlainFixture } from './helpers.js';

const scores = (s: Partial<Record<FormatName, number>>): Record<FormatName, number> => ({ 'golang-migrate': 0, dbmate: 0, sqlx: 0, flyway: 0, plain: 0, ...s });

/** A project folder with these files and an empty migrations/ folder in it; returns migrations/. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ladder-evidence-'));
  for (const [name, body] of Object.entries(files)) {
    if (name.endsWith('/')) mkdirSync(join(root, name), { recursive: true });
    else {
      mkdirSync(join(root, name, '..'), { recursive: true });
      writeFileSync(join(root, name), body);
    }
  }
  mkdirSync(join(root, 'db', 'migrations'), { recursive: true });
  return join(root, 'db', 'migrations');
}

describe('project evidence: the files around the migrations folder name the tool', () => {
  it.each<[string, Record<string, string>, FormatName, RegExp]>([
    ['Cargo.toml using sqlx', { 'Cargo.toml': '[dependencies]\nsqlx = { version = "0.8" }\n' }, 'sqlx', /Cargo\.toml .*depends on sqlx/],
    ['a .sqlx/ folder', { '.sqlx/': '' }, 'sqlx', /\.sqlx\/ .*offline/],
    ['go.mod requiring golang-migrate', { 'go.mod': 'module x\n\nrequire github.com/golang-migrate/migrate/v4 v4.17.1\n' }, 'golang-migrate', /go\.mod .*requires github\.com\/golang-migrate\/migrate/],
    ['package.json depending on dbmate', { 'package.json': JSON.stringify({ devDependencies: { dbmate: '^2.0.0' } }) }, 'dbmate', /package\.json .*depends on dbmate/],
    ['a compose file running dbmate', { 'compose.yaml': 'services:\n  migrate:\n    image: ghcr.io/amacneil/dbmate:2\n' }, 'dbmate', /compose\.yaml .*dbmate image/],
    ['flyway.toml', { 'flyway.toml': '[flyway]\nlocations = ["filesystem:db/migration"]\n' }, 'flyway', /flyway\.toml .*configures Flyway/],
    ['a Makefile recipe calling sqlx', { Makefile: 'migrate:\n\tsqlx migrate run\n' }, 'sqlx', /Makefile .*recipe calling sqlx migrate/],
    ['a justfile recipe calling migrate', { justfile: 'up:\n    migrate -path db/migrations -database $DATABASE_URL up\n' }, 'golang-migrate', /justfile .*golang-migrate/],
  ])('%s', async (_what, files, format, reason) => {
    const found = await projectEvidence(project(files));
    expect(found.map((e) => e.format)).toEqual([format]);
    expect(found[0]!.reason).toMatch(reason);
  });

  it('says nothing when nothing names a tool (a Cargo.toml without sqlx, a Makefile without one)', async () => {
    expect(await projectEvidence(project({ 'Cargo.toml': '[dependencies]\nserde = "1"\n', Makefile: 'build:\n\tcargo build\n' }))).toEqual([]);
  });
});

describe('decideFormat: the project decides between tools the names fit; otherwise it is ambiguous', () => {
  const pairs = { dir: 'migrations', sqlFiles: 4, tables: [], evidence: { exists: true, matched: scores({ 'golang-migrate': 4, sqlx: 4 }), markerSample: { read: 0, marked: 0 }, pairsSqlxShaped: true } };

  it('timestamped .up/.down pairs, no table, no project file: ambiguous between golang-migrate and sqlx', () => {
    const d = decideFormat({ ...pairs, scores: scores({ 'golang-migrate': 1, sqlx: 1 }) });
    expect(d.ambiguous).toEqual(['golang-migrate', 'sqlx']);
    expect(d.reason).toContain('-format golang-migrate or -format sqlx');
  });

  it('the same folder with Cargo.toml using sqlx: sqlx, saying why', () => {
    const d = decideFormat({ ...pairs, scores: scores({ 'golang-migrate': 1, sqlx: 1 }), project: [{ format: 'sqlx', reason: 'Cargo.toml depends on sqlx' }] });
    expect(d).toEqual({ format: 'sqlx', reason: expect.stringMatching(/^Cargo\.toml depends on sqlx, and 4 of 4 \.sql files are named as sqlx names migrations/) });
  });

  it('numbered NNN_name.sql files with no rollback script: ambiguous between sqlx and plain', () => {
    const d = decideFormat({
      dir: 'migrations',
      sqlFiles: 2,
      tables: [],
      scores: scores({ sqlx: 1, plain: 1, dbmate: 0.5 }),
      evidence: { exists: true, matched: scores({ sqlx: 2, plain: 2, dbmate: 2 }), markerSample: { read: 2, marked: 0 } },
    });
    expect(d.ambiguous).toEqual(['sqlx', 'plain']);
  });

  it("pairs named 1_x.up.sql (a shape sqlx-cli never writes) stay golang-migrate's, as before", () => {
    const d = decideFormat({ ...pairs, scores: scores({ 'golang-migrate': 1, sqlx: 1 }), evidence: { ...pairs.evidence, pairsSqlxShaped: false } });
    expect(d.format).toBe('golang-migrate');
    expect(d.ambiguous).toBeUndefined();
  });

  it('a tracking table still decides over the project files', () => {
    const d = decideFormat({ ...pairs, scores: scores({ 'golang-migrate': 1, sqlx: 1 }), tables: [{ format: 'sqlx', table: '"public"."_sqlx_migrations"' }], project: [{ format: 'golang-migrate', reason: 'go.mod requires it' }] });
    expect(d.format).toBe('sqlx');
    expect(d.ambiguous).toBeUndefined();
  });
});

describe('a reversible sqlx project on an empty database', () => {
  it('with its Cargo.toml: detected as sqlx with the reason, and up writes _sqlx_migrations', async () => {
    const url = await freshDatabase('det_sqlx');
    const root = copyPlainFixture('sqlx-reversible');
    const run = cliOn(join(root, 'migrations'), url);
    const status = await run(['status', '--json']);
    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.format).toBe('sqlx');
    expect(s.detected).toMatch(/Cargo\.toml .*depends on sqlx/);
    expect(s.ambiguous).toBeUndefined();
    expect((await run(['up'])).code).toBe(0);
    expect(await publicTables(url)).toEqual(['_sqlx_migrations', 'ladder_journal', 'products']);
  });

  it('without it: status says it is ambiguous, and up refuses naming both tools and -format, creating nothing', async () => {
    const url = await freshDatabase('det_ambiguous');
    const root = copyPlainFixture('sqlx-reversible');
    rmSync(join(root, 'Cargo.toml'));
    const run = cliOn(join(root, 'migrations'), url);
    const s = JSON.parse((await run(['status', '--json'])).stdout);
    expect(s.ambiguous).toEqual(['golang-migrate', 'sqlx']);
    const text = await run(['status']);
    expect(text.stdout).toContain('fits golang-migrate and sqlx alike');

    const up = await run(['up']);
    expect(up.code).toBe(1);
    expect(up.stdout).toBe('');
    expect(up.stderr).toContain('could be a golang-migrate or a sqlx project');
    expect(up.stderr).toContain('Pass -format golang-migrate or -format sqlx');
    expect(await publicTables(url)).toEqual([]);

    const chosen = await run(['-format', 'sqlx', 'up']);
    expect(chosen.code).toBe(0);
    expect(await publicTables(url)).toEqual(['_sqlx_migrations', 'ladder_journal', 'products']);
  });
});
