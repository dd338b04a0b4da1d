import { describe, expect, it } from 'vitest';
import { freshDatabase, query } from '../helpers/db.js';

describe('test harness', () => {
  it('gives each caller its own empty database on a real PostgreSQL', async () => {
    const a = await freshDatabase('harness');
    const b = await freshDatabase('harness');
    expect(a).not.toBe(b);
    const [row] = await query<{ v: string; db: string }>(a, 'select version() v, current_database() db');
    expect(row!.v).toMatch(/^PostgreSQL \d+/);
    expect(a.endsWith(`/${row!.db}?sslmode=disable`) || a.includes(`/${row!.db}`)).toBe(true);
  });
});
