import { describe, expect, it } from 'vitest';
import { normalizeGoFlags, parseArgs } from '../../src/cli/args.js';
import { resolveConfig } from '../../src/cli/config.js';
import { UsageError } from '../../src/errors.js';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('golang-migrate style arguments', () => {
  it('accepts single-dash long flags before the command', () => {
    const p = parseArgs(['-path', 'db/m', '-database', 'postgres://h/db', '-lock-timeout', '3', '-verbose', 'up', '2']);
    expect(p.command).toEqual({ name: 'up', limit: 2 });
    expect(p.flags).toMatchObject({ path: 'db/m', database: 'postgres://h/db', lockTimeout: '3', verbose: true });
  });
  it('accepts --long and -flag=value forms, and flags after the command', () => {
    expect(parseArgs(['up', '--path=x', '-database=postgres://h/d']).flags).toMatchObject({ path: 'x', database: 'postgres://h/d' });
    expect(parseArgs(['down', '1', '-path', 'x']).command).toEqual({ name: 'down', limit: 1, all: false });
  });
  it('down -all, force -1 with and without --, goto, drop -f', () => {
    expect(parseArgs(['down', '-all']).command).toEqual({ name: 'down', limit: undefined, all: true });
    expect(parseArgs(['force', '-1']).command).toEqual({ name: 'force', version: '-1' });
    expect(parseArgs(['force', '--', '-1']).command).toEqual({ name: 'force', version: '-1' });
    expect(parseArgs(['goto', '20240101120000']).command).toEqual({ name: 'goto', version: '20240101120000' });
    expect(parseArgs(['drop', '-f']).command).toEqual({ name: 'drop', force: true });
  });
  it('status --json, and no command means the TUI', () => {
    expect(parseArgs(['status', '--json']).command).toEqual({ name: 'status', json: true });
    expect(parseArgs(['status', '-json']).command).toEqual({ name: 'status', json: true });
    expect(parseArgs([]).command).toEqual({ name: 'tui' });
  });
  it('create with golang-migrate options', () => {
    expect(parseArgs(['create', '-ext', 'sql', '-dir', 'm', '-seq', '-digits', '4', 'add_orders']).command).toMatchObject({
      name: 'create',
      name_: 'add_orders',
      ext: 'sql',
      dir: 'm',
      seq: true,
      digits: 4,
    });
  });
  it.each([
    [['up', 'two'], /can't read limit argument N/],
    [['goto', '-3'], /can't read version argument V|unknown option/],
    [['force', '-2'], /must be >= -1/],
    [['force', 'x'], /can't read version argument V/],
    [['down', '2', '-all'], /-all cannot be used with other arguments/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['-path', 'm', 'statsu'], /unknown command "statsu"/],
    [['up', '--bogus'], /unknown option/],
    [['create', '-seq', '-format', 'unix', 'x'], /mutually exclusive/],
  ])('usage error for %j', (argv, message) => {
    let caught: unknown;
    try {
      parseArgs(argv);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toMatch(message);
    expect((caught as UsageError).exitCode).toBe(2);
  });
  it('leaves values and everything after -- alone', () => {
    expect(normalizeGoFlags(['-path', '-weird-dir', '--', '-database'])).toEqual(['--path', '-weird-dir', '--', '-database']);
  });
});

describe('configuration precedence: flags > environment > .env > defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-cfg-'));
  writeFileSync(join(dir, '.env'), 'DATABASE_URL=postgres://from-dotenv/db\n');
  it('flag wins', () => {
    expect(resolveConfig({ database: 'postgres://flag/db' }, { DATABASE_URL: 'postgres://env/db' }, dir)).toMatchObject({ databaseUrl: 'postgres://flag/db', databaseFrom: '-database' });
  });
  it('then the environment', () => {
    expect(resolveConfig({}, { DATABASE_URL: 'postgres://env/db' }, dir)).toMatchObject({ databaseUrl: 'postgres://env/db', databaseFrom: 'DATABASE_URL' });
  });
  it('then .env', () => {
    expect(resolveConfig({}, {}, dir)).toMatchObject({ databaseUrl: 'postgres://from-dotenv/db', databaseFrom: '.env' });
  });
  it('else the sandbox and ./migrations, lock timeout 15 s', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ladder-cfg-'));
    expect(resolveConfig({}, {}, empty)).toEqual({ databaseUrl: undefined, databaseFrom: 'sandbox', databaseSource: undefined, sandboxRequested: false, dir: join(empty, 'migrations'), tables: {}, lockTimeoutMs: 15000, verbose: false, journal: true, format: undefined, schemaFile: undefined, settings: {} });
  });
  it("with no folder given, the first of the tools' default folders that exists; -format picks its tool's", () => {
    const root = mkdtempSync(join(tmpdir(), 'ladder-cfg-'));
    mkdirSync(join(root, 'db', 'migration'), { recursive: true });
    expect(resolveConfig({}, {}, root).dir).toBe(join(root, 'db/migration'));
    mkdirSync(join(root, 'db', 'migrations'));
    expect(resolveConfig({}, {}, root).dir).toBe(join(root, 'db/migrations'));
    expect(resolveConfig({ format: 'flyway' }, {}, root)).toMatchObject({ dir: join(root, 'db/migration'), format: 'flyway' });
    expect(resolveConfig({ format: 'sqlx' }, {}, root).dir).toBe(join(root, 'migrations'));
    expect(resolveConfig({}, { DBMATE_MIGRATIONS_DIR: 'sql', DBMATE_MIGRATIONS_TABLE: 'app.versions' }, root)).toMatchObject({ dir: join(root, 'sql'), tables: { dbmate: 'app.versions' } });
  });
  it('-format takes a tool name (aliases too) and refuses others; create keeps it as a Go time layout', () => {
    expect(parseArgs(['-format', 'DBMATE', 'status']).flags.format).toBe('dbmate');
    expect(parseArgs(['status', '--format=migrate']).flags.format).toBe('golang-migrate');
    expect(() => parseArgs(['-format', 'liquibase', 'up'])).toThrow(/Unknown -format "liquibase"/);
    expect(parseArgs(['create', '-format', 'unix', 'x']).command).toMatchObject({ name: 'create', format: 'unix' });
    expect(parseArgs(['create', '-format', 'flyway', 'x']).flags.format).toBe('flyway');
    expect(() => parseArgs(['create', '-seq', '-format', 'unix', 'x'])).toThrow(/mutually exclusive/);
  });
  it('-source file:// and -path', () => {
    expect(resolveConfig({ source: 'file://db/m' }, {}, dir).dir).toBe(join(dir, 'db/m'));
    expect(resolveConfig({ source: 'file:///abs/m' }, {}, dir).dir).toBe('/abs/m');
    expect(() => resolveConfig({ source: 's3://bucket/m' }, {}, dir)).toThrow(/Unsupported -source/);
    expect(() => resolveConfig({ lockTimeout: '1.5' }, {}, dir)).toThrow(/whole seconds/);
  });
});
