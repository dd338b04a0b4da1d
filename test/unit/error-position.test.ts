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
  it('CRLF counts as one line break', () => {
    const sql = 'select 1;\r\nselect 2;\r\nselec 3;';
    const lf = sql.replace(/\r\n/g, '\n');
    expect(positionToLineColumn(sql, lf.indexOf('selec 3') + 1)).toEqual({ line: 3, column: 1 });
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
