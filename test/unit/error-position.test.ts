import { describe, expect, it } from 'vitest';
import { positionToLineColumn } from '../../src/db/error-position.js';

describe('PostgreSQL error position to line and column', () => {
  it('first character', () => {
    expect(positionToLineColumn('SELEC 1', 1)).toEqual({ line: 1, column: 1 });
  });
  it('multi-line', () => {
    const sql = 'create table a (id int);\ncreate tabel b (id int);\n';
    // "tabel" starts at character 25 + 8 = 33
    expect(positionToLineColumn(sql, sql.indexOf('tabel') + 1)).toEqual({ line: 2, column: 8 });
  });
  it('CRLF is one line break, and the server counts its CR in the position', () => {
    const sql = 'select 1;\r\nselect 2;\r\nselect tabel 3;';
    expect(positionToLineColumn(sql, sql.indexOf('tabel') + 1)).toEqual({ line: 3, column: 8 });
    expect(positionToLineColumn(sql, sql.indexOf('select 2') + 1)).toEqual({ line: 2, column: 1 });
  });
  it('a lone CR is an ordinary character', () => {
    expect(positionToLineColumn('a\rb c', 5)).toEqual({ line: 1, column: 5 });
  });
  it('handles big CRLF files (a quadratic scan would time out here)', () => {
    const sql = 'select 1;\r\n'.repeat(200_000) + 'oops';
    expect(positionToLineColumn(sql, sql.length - 3)).toEqual({ line: 200_001, column: 1 });
  });
  it('counts characters, not bytes or UTF-16 units', () => {
    const sql = "-- naïve café 名前 😀\nselect 'ü' frm x;";
    const chars = Array.from(sql);
    const pos = chars.indexOf('f', 25) + 1; // the "frm" on line 2
    expect(chars.slice(pos - 1, pos + 2).join('')).toBe('frm');
    expect(positionToLineColumn(sql, pos)).toEqual({ line: 2, column: 12 });
  });
  it('out of range or missing position', () => {
    expect(positionToLineColumn('abc', 4)).toBeNull();
    expect(positionToLineColumn('abc', 0)).toBeNull();
    expect(positionToLineColumn('abc', Number.NaN)).toBeNull();
  });
});
