/**
 * PostgreSQL reports an error position as a 1-based character (not byte) offset into the query
 * exactly as sent, so a CR of a CRLF counts. Lines break at LF (a CRLF is one break); the column
 * counts characters after the break. (golang-migrate normalises CRLF before applying the offset,
 * which shifts its column by one per earlier CRLF; Ladder reports the true column.)
 */
export interface LineColumn {
  line: number;
  column: number;
}

export function positionToLineColumn(sql: string, position: number): LineColumn | null {
  if (!Number.isInteger(position) || position < 1) return null;
  let line = 1;
  let column = 0;
  let chars = 0;
  for (let i = 0; i < sql.length; i++) {
    const code = sql.charCodeAt(i);
    chars++;
    if (chars === position) return { line, column: column + 1 };
    if (code >= 0xd800 && code <= 0xdbff) i++; // second half of a surrogate pair: same character
    if (code === 10) {
      line++;
      column = 0;
    } else if (!(code === 13 && sql.charCodeAt(i + 1) === 10)) column++;
  }
  return null;
}
