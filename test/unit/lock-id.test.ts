import { describe, expect, it } from 'vitest';
import { advisoryLockId } from '../../src/formats/golang-migrate/lock-id.js';

describe('golang-migrate advisory lock id', () => {
  it('matches golang-migrate for a single name', () => {
    expect(advisoryLockId('database_name')).toBe('1764327054');
  });
  it('joins schema, table and the URL path (with its slash) by NUL, as the CLI does', () => {
    expect(advisoryLockId('/mydb', 'public', 'schema_migrations')).toBe('616192132');
  });
  it('differs by schema, table and database', () => {
    const base = advisoryLockId('/mydb', 'public', 'schema_migrations');
    expect(advisoryLockId('mydb', 'public', 'schema_migrations')).not.toBe(base);
    expect(advisoryLockId('/mydb', 'other', 'schema_migrations')).not.toBe(base);
    expect(advisoryLockId('/mydb', 'public', 'migrations')).not.toBe(base);
  });
  it('always fits in uint32 (32-bit wraparound of crc * salt)', () => {
    for (const name of ['', 'a', 'x'.repeat(1000), '名前', '/db\0weird']) {
      const id = Number(advisoryLockId(name, 's', 't'));
      expect(Number.isInteger(id)).toBe(true);
      expect(id).toBeGreaterThanOrEqual(0);
      expect(id).toBeLessThan(2 ** 32);
    }
  });
});
