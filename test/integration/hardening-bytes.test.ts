import { beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, query } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { ladderLocal } from '../helpers/in-process.js';
import { firstInvalidUtf8 } from '../../src/formats/bytes.js';

let url: string;
beforeAll(async () => {
  url = await freshDatabase('harden_bytes');
});

const nothingThere = async () => {
  expect(await query(url, "select table_name t from information_schema.tables where table_schema = 'public' order by 1")).toEqual([]);
};

describe('migration bytes are never rewritten', () => {
  it("a Latin-1 'caf\\xe9' is refused before anything runs, with file, line and byte offset", async () => {
    const latin = Buffer.concat([Buffer.from("create table t2 (v text);\ninsert into t2 values ('caf"), Buffer.from([0xe9]), Buffer.from("');\n")]);
    const dir = migrationsDir({ '1_ok.up.sql': 'create table t1 (id int);', '2_latin.up.sql': latin });
    const r = await ladder(['-path', dir, '-database', url, 'up']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: ${dir}/2_latin.up.sql is not valid UTF-8: line 2, byte offset 53 (bytes 0xE9 0x27 0x29 0x3B). Ladder sends a file's bytes as they are, and PostgreSQL would refuse these.\n` +
        'Nothing was run. Save the file as UTF-8 (for a Latin-1 file: iconv -f LATIN1 -t UTF-8 FILE > FILE.utf8), then try again.\n',
    );
    expect(r.stdout).toBe('');
    await nothingThere(); // not even 1_ok, nor schema_migrations or the journal
  });

  it('a NUL byte or a binary file is refused without echoing the bytes', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x1b, 0x5b, 0x32, 0x4a]);
    for (const [name, body] of [
      ['1_nul.up.sql', Buffer.from('select 1;\nselect 2;\0select 3;')],
      ['1_image.up.sql', png],
    ] as const) {
      const dir = migrationsDir({ [name]: body });
      const r = await ladder(['-path', dir, '-database', url, 'up']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^error: .*/${name} contains a NUL byte at line \\d+, byte offset \\d+: it looks like a binary file, not SQL`));
      expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/); // no raw control bytes (ESC, NUL) reach the terminal
      expect(r.stderr).not.toContain('PNG');
      await nothingThere();
    }
  });

  it('dbmate files are checked the same way', async () => {
    const dir = migrationsDir({ '20240101000000_x.sql': Buffer.concat([Buffer.from("-- migrate:up\ncreate table d (v text default 'caf"), Buffer.from([0xe9]), Buffer.from("');\n-- migrate:down\ndrop table d;\n")]) });
    const r = await ladder(['-path', dir, '-database', url, '-format', 'dbmate', 'up']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/20240101000000_x\.sql is not valid UTF-8: line 2, byte offset 49 \(bytes 0xE9 0x27 0x29 0x3B\)\. Ladder sends a file's bytes as they are, and PostgreSQL would refuse these\. Nothing was run\./);
    await nothingThere();
  });

  it('valid UTF-8 (and a U+FFFD that is in the file) is stored exactly as written', async () => {
    const dir = migrationsDir({ '1_text.up.sql': "create table texts (v text);\ninsert into texts values ('café'), ('\uFFFD kept'), ('日本');" });
    const r = await ladderLocal(['-path', dir, '-database', url, '-no-journal', 'up']);
    expect(r.code).toBe(0);
    const rows = await query<{ hex: string }>(url, "select encode(convert_to(v, 'UTF8'), 'hex') hex from texts order by v");
    expect(rows.map((x) => Buffer.from(x.hex, 'hex').toString('utf8')).sort()).toEqual(['café', '日本', '\uFFFD kept'].sort());
    expect((await query(url, "select count(*)::int n from texts where v like '%' || chr(65533) || '%'"))[0]!.n).toBe(1);
    await query(url, 'drop table texts; drop table schema_migrations');
  });
});

describe('firstInvalidUtf8', () => {
  it.each([
    [[0x61, 0x62], -1],
    [[0x63, 0x61, 0x66, 0xe9], 3], // Latin-1 é
    [[0xc3, 0xa9], -1], // é
    [[0xc0, 0xaf], 0], // overlong '/'
    [[0xe0, 0x80, 0xaf], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // UTF-16 surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x61, 0xe2, 0x82], 1], // truncated €
    [[0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80], -1], // € and an emoji
    [[0x80], 0], // lone continuation byte
  ])('%j -> %d', (bytes, at) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(at);
  });
});
