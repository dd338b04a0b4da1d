import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { golangMigrateSource } from '../../src/formats/golang-migrate/source.js';

const folder = (names: string[]) => {
  const dir = mkdtempSync(join(tmpdir(), 'ladder-gm-source-'));
  for (const n of names) writeFileSync(join(dir, n), 'select 1;');
  return dir;
};

describe("golang-migrate's folder listing", () => {
  it('orders versions numerically and, whatever order the directory lists them in, keeps the first duplicate by name', async () => {
    // Many names, so the directory's own (hash) order differs from name order.
    const names = ['10_ten.up.sql', '2_b.up.sql', '2_c.up.sql', '2_a.up.sql', '2_z.down.sql', '2_y.down.sql', '1_one.down.sql', '1_one.up.sql', 'README.md'];
    for (let i = 100; i < 160; i++) names.push(`${i}_m${i}.up.sql`, `${i}_m${i}.down.sql`);
    const dir = folder(names);
    mkdirSync(join(dir, '3_dir.up.sql'));
    const listing = await golangMigrateSource.read(dir);
    expect(listing.migrations.slice(0, 3).map((m) => [m.version, m.name, m.up?.file, m.down?.file])).toEqual([
      ['1', 'one', '1_one.up.sql', '1_one.down.sql'],
      ['2', 'a', '2_a.up.sql', '2_y.down.sql'],
      ['10', 'ten', '10_ten.up.sql', undefined],
    ]);
    expect(listing.migrations.map((m) => m.version)).toEqual(['1', '2', '10', ...Array.from({ length: 60 }, (_, i) => String(100 + i))]);
    expect(listing.problems.filter((p) => p.kind === 'duplicate')).toEqual([
      { kind: 'duplicate', version: '2', direction: 'up', files: ['2_a.up.sql', '2_b.up.sql', '2_c.up.sql'] },
      { kind: 'duplicate', version: '2', direction: 'down', files: ['2_y.down.sql', '2_z.down.sql'] },
    ]);
    expect(listing.ignored).toEqual(['README.md']);
    expect(listing.migrations[0]!.up!.path).toBe(join(dir, '1_one.up.sql'));
  });

  it('names a version with only down files after the first of them by name', async () => {
    const listing = await golangMigrateSource.read(folder(['5_late.down.sql', '5_early.down.sql']));
    expect(listing.migrations.map((m) => [m.version, m.name, m.down?.file])).toEqual([['5', 'early', '5_early.down.sql']]);
  });
});
