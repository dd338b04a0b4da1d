/**
 * PostgreSQL reports an error position as a 1-based character (not byte) offset into the query.
 * golang-migrate turns it into line and column after normalising CRLF to LF; so does Ladder.
 */
export interface LineColumn {
  line: number;
  column: number;
}

export function positionToLineColumn(sql: string, position: number): LineColumn | null {
  if (!Number.isInteger(position) || position < 1) return null;
  const chars = Array.from(sql.replace(/\r\n/g, '\n'));
  if (position > chars.length) return null;
  let line = 1;
  let lastNewline = -1;
  for (let i = 0; i < position; i++) {
    if (chars[i] === '\n') {
      line++;
      lastNewline = i;
    }
  }
  return { line, column: position - 1 - lastNewline };
}
