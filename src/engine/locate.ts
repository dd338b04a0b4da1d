import type { Queryable } from '../formats/types.js';
import { splitStatements, type SqlStatement } from '../db/statements.js';
import { positionToLineColumn } from '../db/error-position.js';
import { guessFailingStatement } from './effects.js';

export interface Located {
  line: number;
  column?: number;
  /** rehearsal: re-run statement by statement in a transaction that was rolled back; statement: from the error's object and the statement kinds. */
  by: 'rehearsal' | 'statement';
}

/**
 * Finds the failing statement of a file whose error carried no position (2BP01 dependency errors, most
 * "does not exist" errors raised while executing). A file without transaction control or
 * non-transactional statements left nothing behind when it failed, so its statements are re-run one by
 * one inside a transaction that is rolled back: the first to fail with the same SQLSTATE is the one.
 * Otherwise the error's object, the statement kinds and IF EXISTS decide. The caller holds the lock.
 */
export async function locateFailure(db: Queryable, sql: string, error: { message: string; code?: string }): Promise<Located | undefined> {
  const split = await splitStatements(sql);
  if (!split.ok || split.statements.length === 0) return undefined;
  const statements = split.statements;
  const rehearsable = statements.every((s) => !s.transaction && !s.nonTransactional);
  if (rehearsable) {
    const found = await rehearse(db, sql, statements, error.code);
    if (found) return found;
  }
  const i = guessFailingStatement(statements, error.message, error.code);
  if (i === undefined) return undefined;
  return { line: statements[i]!.startLine, by: 'statement' };
}

async function rehearse(db: Queryable, sql: string, statements: SqlStatement[], code: string | undefined): Promise<Located | undefined> {
  await db.query('BEGIN');
  try {
    for (const s of statements) {
      try {
        await db.query(s.text);
      } catch (err) {
        const e = err as { code?: string; position?: string };
        if (e.code !== code) return undefined;
        const startChars = [...sql.slice(0, s.start)].length;
        const lc = e.position ? positionToLineColumn(sql, startChars + Number(e.position)) : null;
        return lc ? { line: lc.line, column: lc.column, by: 'rehearsal' } : { line: s.startLine, by: 'rehearsal' };
      }
    }
    return undefined;
  } finally {
    await db.query('ROLLBACK').catch(() => undefined);
  }
}
