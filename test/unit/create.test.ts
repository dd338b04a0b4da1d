import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommand, nextSequence, timeVersion } from '../../src/headless/create.js';
import type { CliIO } from '../../src/headless/io.js';

const quietIO = (): CliIO & { lines: string[] } => {
  const lines: string[] = [];
  return { lines, out: (t) => lines.push(t), err: (t) => lines.push(t), interactive: false, ask: async () => '' };
};

describe('create', () => {
  const at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  it('timestamps in Go layouts, unix and unixNano, in a time zone', () => {
    expect(timeVersion(at, '20060102150405', 'UTC')).toBe('20240102030405');
    expect(timeVersion(at, '2006-01-02.000', 'UTC')).toBe('2024-01-02.678');
    expect(timeVersion(at, 'unix', 'UTC')).toBe('1704164645');
    expect(timeVersion(at, 'unixNano', 'UTC')).toBe('1704164645678000000');
    expect(timeVersion(at, '20060102150405', 'Asia/Tokyo')).toBe('20240102120405');
    expect(() => timeVersion(at, '20060102', 'Mars/Olympus')).toThrow(/unknown time zone/);
  });
  it('sequence numbers follow the last file', () => {
    expect(nextSequence([], 6)).toBe('000001');
    expect(nextSequence(['000009_x.up.sql'], 6)).toBe('000010');
    expect(() => nextSequence(['99_x.up.sql'], 2)).toThrow(/too large/);
  });
  it('writes an empty up/down pair and refuses a duplicate version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ladder-create-'));
    writeFileSync(join(dir, '000001_first.up.sql'), '');
    const io = quietIO();
    expect(await createCommand({ name: 'add_orders', ext: 'sql', dir, seq: true, digits: 6, format: '20060102150405', tz: 'UTC' }, io)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['000001_first.up.sql', '000002_add_orders.down.sql', '000002_add_orders.up.sql']);
    expect(io.lines.join('')).toContain(join(dir, '000002_add_orders.up.sql'));
    await expect(createCommand({ name: 'again', ext: '.sql', dir, seq: false, digits: 6, format: '20060102150405', tz: 'UTC', now: at }, io)).resolves.toBe(0);
    await expect(createCommand({ name: 'again', ext: 'sql', dir, seq: false, digits: 6, format: '20060102150405', tz: 'UTC', now: at }, io)).rejects.toThrow(
      /duplicate migration version: 20240102030405/,
    );
  });
});
