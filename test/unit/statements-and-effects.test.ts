import { describe, expect, it } from 'vitest';
import { splitStatements, statementAt, type SqlStatement } from '../../src/db/statements.js';
import { fileEffects, guessFailingStatement } from '../../src/engine/effects.js';

async function split(sql: string): Promise<SqlStatement[]> {
  const r = await splitStatements(sql);
  if (!r.ok) throw new Error(r.message);
  return r.statements;
}

describe('splitting with PostgreSQL\'s own parser', () => {
  it('respects quotes, dollar-quoted bodies and comments containing semicolons', async () => {
    const sql = [
      '-- header; with a semicolon',
      "create table a (s text default 'x;y');",
      '/* block; comment */ DO $body$ BEGIN RAISE NOTICE $$a;b$$; END $body$;',
      'create function f() returns int language sql as $$ select 1; $$;',
      'select 1',
    ].join('\n');
    const s = await split(sql);
    expect(s.map((x) => x.kind)).toEqual(['CreateStmt', 'DoStmt', 'CreateFunctionStmt', 'SelectStmt']);
    expect(s.map((x) => [x.startLine, x.endLine])).toEqual([[2, 2], [3, 3], [4, 4], [5, 5]]);
    expect(s[1]!.text).toBe('DO $body$ BEGIN RAISE NOTICE $$a;b$$; END $body$');
  });

  it('maps byte offsets to characters with non-ASCII text', async () => {
    const sql = "select 'größe 名前';\n\nselect '😀';\ncreate table ü (id int);";
    const s = await split(sql);
    expect(s.map((x) => x.text)).toEqual(["select 'größe 名前'", "select '😀'", 'create table ü (id int)']);
    expect(s[2]!.startLine).toBe(4);
    expect(statementAt(s, sql, Array.from(sql).indexOf('ü', 25) + 1)?.index).toBe(2);
  });

  it('reports a syntax error with its character position (PostgreSQL then runs none of the file)', async () => {
    const r = await splitStatements("select 'é';\nselec 2;");
    expect(r).toEqual({ ok: false, message: 'syntax error at or near "selec"', position: 13 });
  });

  it('knows transaction control, non-transactional statements and the objects touched', async () => {
    const s = await split(
      'BEGIN; create index concurrently i on s.t (id); drop table if exists a, s.b cascade; create schema x; create trigger tr before update on s.t for each row execute function f(); drop policy p on t; vacuum; COMMIT; ROLLBACK;',
    );
    expect(s.map((x) => x.transaction ?? null)).toEqual(['begin', null, null, null, null, null, null, 'commit', 'rollback']);
    expect(s.map((x) => x.nonTransactional)).toEqual([false, true, false, false, false, false, true, false, false]);
    expect(s[1]!.objects).toEqual([{ kind: 'index', schema: 's', name: 'i', action: 'create' }]);
    expect(s[2]!.objects).toEqual([
      { kind: 'table', name: 'a', action: 'drop', guarded: true },
      { kind: 'table', schema: 's', name: 'b', action: 'drop', guarded: true },
    ]);
    expect(s[4]!.objects).toEqual([{ kind: 'trigger', name: 'tr', on: { schema: 's', name: 't' }, action: 'create' }]);
    expect(s[5]!.objects).toEqual([{ kind: 'policy', name: 'p', on: { name: 't' }, action: 'drop' }]);
  });
});

describe('what PostgreSQL kept of a failed file (simple-query rules)', () => {
  it('no transaction control: one implicit transaction, nothing kept', async () => {
    const e = fileEffects(await split('create table a (id int); create table b (id int); select 1/0; create table c (id int);'), 2, 'position');
    expect(e.fates).toEqual(['rolled-back', 'rolled-back', 'failed', 'not-run']);
    expect(e.summary).toMatch(/Nothing took effect/);
  });

  it('explicit blocks: committed ones stay, the open one is rolled back, the rest never runs', async () => {
    const s = await split('BEGIN; create table a (id int); COMMIT; create table b (id int); BEGIN; create table c (id int); select 1/0; COMMIT; create table d (id int);');
    expect(fileEffects(s, 6, 'position').fates).toEqual(['kept', 'kept', 'kept', 'rolled-back', 'rolled-back', 'rolled-back', 'failed', 'not-run', 'not-run']);
  });

  it('a COMMIT without BEGIN commits the implicit block before it', async () => {
    const s = await split('create table a (id int); COMMIT; create table b (id int); select 1/0;');
    expect(fileEffects(s, 3, 'position').fates).toEqual(['kept', 'kept', 'rolled-back', 'failed']);
  });

  it('a ROLLBACK discards its block', async () => {
    const s = await split('BEGIN; create table a (id int); ROLLBACK; select 1/0;');
    expect(fileEffects(s, 3, 'position').fates).toEqual(['rolled-back', 'rolled-back', 'kept', 'failed']);
  });

  it('CREATE INDEX CONCURRENTLY in a file of several statements cannot run at all', async () => {
    const s = await split('create table a (id int); create index concurrently i on a (id);');
    const e = fileEffects(s, 1, 'position');
    expect(e.blockedByTransaction).toEqual([1]);
    expect(e.summary).toMatch(/cannot run inside a transaction block/);
  });

  it('a lone non-transactional statement may leave a half-built object', async () => {
    const e = fileEffects(await split('create unique index concurrently i on a (id);'), 0, 'position');
    expect(e.mode).toBe('single-non-transactional');
    expect(e.summary).toMatch(/INVALID index/);
  });

  it('unknown failing statement: implicit files still kept nothing; explicit ones are unknown', async () => {
    expect(fileEffects(await split('create table a (id int); drop table nope;'), undefined, 'unknown').summary).toMatch(/Nothing took effect/);
    expect(fileEffects(await split('BEGIN; create table a (id int); COMMIT; drop table nope;'), undefined, 'unknown').fates).toEqual(['unknown', 'unknown', 'unknown', 'unknown']);
  });

  it('guesses the failing statement from an identifier quoted in the error', async () => {
    const s = await split('create table a (id int);\ndrop table does_not_exist;\ncreate table b (id int);');
    expect(guessFailingStatement(s, 'table "does_not_exist" does not exist')).toBe(1);
    expect(guessFailingStatement(s, 'something else')).toBeUndefined();
  });
});
