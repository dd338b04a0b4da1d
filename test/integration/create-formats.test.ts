import { cpSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ladderLocal } from '../helpers/in-process.js';

// In process: the subject is the files create writes.

const FIXTURES = resolve(import.meta.dirname, '../fixtures');
const fresh = () => mkdtempSync(join(tmpdir(), 'ladder-create-'));
const copy = (fixture: string) => {
  const dir = fresh();
  cpSync(join(FIXTURES, fixture), dir, { recursive: true });
  return dir;
};
const added = (dir: string, before: string[]) => readdirSync(dir).filter((f) => !before.includes(f)).sort();

describe('create writes what each tool\'s own command writes', () => {
  it('dbmate (recognised from the folder): YYYYMMDDhhmmss_<name>.sql with dbmate new\'s template', async () => {
    const dir = copy('dbmate/sample');
    const before = readdirSync(dir);
    const r = await ladderLocal(['-path', dir, 'create', 'add_invoices']);
    expect(r.code).toBe(0);
    const [file, ...rest] = added(dir, before);
    expect(rest).toEqual([]);
    expect(file).toMatch(/^\d{14}_add_invoices\.sql$/);
    expect(readFileSync(join(dir, file!), 'utf8')).toBe('-- migrate:up\n\n\n-- migrate:down\n\n');
    expect(r.stdout.trim()).toBe(join(dir, file!));
  });

  it('sqlx (-format sqlx, empty folder): a timestamped simple migration with sqlx\'s placeholder text', async () => {
    const dir = fresh();
    const r = await ladderLocal(['-format', 'sqlx', '-path', dir, 'create', 'add invoices']);
    expect(r.code).toBe(0);
    const [file] = added(dir, []);
    expect(file).toMatch(/^\d{14}_add_invoices\.sql$/);
    expect(readFileSync(join(dir, file!), 'utf8')).toBe('-- Add migration script here\n');
  });

  it('sqlx in a reversible folder adds an .up.sql/.down.sql pair, as sqlx infers from the first migration', async () => {
    const dir = fresh();
    cpSync(join(FIXTURES, 'sqlx', '20240102090000_create_posts.up.sql'), join(dir, '20240102090000_create_posts.up.sql'));
    cpSync(join(FIXTURES, 'sqlx', '20240102090000_create_posts.down.sql'), join(dir, '20240102090000_create_posts.down.sql'));
    const r = await ladderLocal(['-format', 'sqlx', '-path', dir, 'create', 'tags']);
    expect(r.code).toBe(0);
    const files = added(dir, ['20240102090000_create_posts.up.sql', '20240102090000_create_posts.down.sql']);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^\d{14}_tags\.down\.sql$/);
    expect(files[1]).toMatch(/^\d{14}_tags\.up\.sql$/);
  });

  it('Flyway (recognised from the folder): the next major version, V<n+1>__<description>.sql', async () => {
    const dir = copy('flyway');
    const before = readdirSync(dir);
    const r = await ladderLocal(['-path', dir, 'create', 'add invoices']);
    expect(r.code).toBe(0);
    expect(added(dir, before)).toEqual(['V4__add_invoices.sql']);
  });

  it('golang-migrate stays the default, and -format with a Go layout is still its time format', async () => {
    const dir = fresh();
    const r = await ladderLocal(['-path', dir, 'create', '-format', 'unix', 'users']);
    expect(r.code).toBe(0);
    const files = added(dir, []);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^\d{10}_users\.down\.sql$/);
  });
});
