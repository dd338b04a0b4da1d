import { beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, query } from '../helpers/db.js';
import { ladder, migrationsDir } from '../helpers/cli.js';
import { redact, redactSecrets, redactUrl, registerSecret } from '../../src/redact.js';

let admin: string;
let dir: string;
const role = `h_red_${process.pid}_${Date.now() % 100000}`;
const hostPort = () => new URL(admin).host;
const db = () => new URL(admin).pathname;

beforeAll(async () => {
  admin = await freshDatabase('harden_redact');
  dir = migrationsDir({ '1_a.up.sql': 'create table a (id int);', '1_a.down.sql': 'drop table a;', '2_b.up.sql': 'create table b (id int);' });
  expect((await ladder(['-path', dir, '-database', admin, 'up', '1'])).code).toBe(0);
  await query(admin, `create role ${role} login password 'baseline-pw'`);
  await query(admin, `grant select on schema_migrations, ladder_journal to ${role}`);
});

const setPassword = (pw: string) => query(admin, `alter role ${role} password '${pw.replace(/'/g, "''")}'`);
const userUrl = (pw: string) => `postgres://${role}:${encodeURIComponent(pw)}@${hostPort()}${db()}?sslmode=disable`;

/** status, status --json and history as this user: every line of stdout and stderr. */
async function outputs(url: string) {
  const status = await ladder(['-path', dir, '-database', url, 'status']);
  const json = await ladder(['-path', dir, '-database', url, 'status', '--json']);
  const history = await ladder(['-path', dir, '-database', url, 'history']);
  return { status, json, history };
}

describe('passwords never appear, and redaction never garbles output', () => {
  let baseline: Awaited<ReturnType<typeof outputs>>;
  beforeAll(async () => {
    await setPassword('baseline-pw');
    baseline = await outputs(userUrl('baseline-pw'));
    expect(baseline.status.code).toBe(0);
  });

  it.each(['s', 'e', 'postgres', 'a/b@c:d e'])('password %j: the output is byte for byte what any other password gives, and status --json parses', async (pw) => {
    await setPassword(pw);
    const got = await outputs(userUrl(pw));
    for (const k of ['status', 'json', 'history'] as const) {
      expect(got[k].code).toBe(0);
      expect(got[k].stdout).toBe(baseline[k].stdout);
      expect(got[k].stderr).toBe(baseline[k].stderr);
    }
    const parsed = JSON.parse(got.json.stdout);
    expect(parsed.dirty).toBe(false);
    expect(got.status.stdout).toContain(`postgres://${role}:xxxxx@${hostPort()}`);
    for (const line of [got.status.stdout, got.json.stdout, got.history.stdout].join('\n').split('\n')) {
      expect(line).not.toContain(`:${pw}@`);
      expect(line).not.toContain(`:${encodeURIComponent(pw)}@`);
    }
  });

  it('a password with an unencoded / and @ in a URL that does not parse is redacted whole', async () => {
    await setPassword('a/b@c:d e');
    const r = await ladder(['-path', dir, '-database', `postgres://${role}:a/b@c:d%20e@${hostPort()}${db()}`, 'up']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: The database URL is not a valid URL: postgres://${role}:xxxxx@${hostPort()}${db()} \\(from -database\\)\\n`));
    for (const secret of ['a/b', 'b@c', 'c:d', 'd%20e', 'd e']) expect(r.stderr).not.toContain(secret);
    expect(await query(admin, 'select version::text, dirty from schema_migrations')).toEqual([{ version: '1', dirty: false }]);
  });

  it('?password= and jdbc:postgresql:// forms', async () => {
    await setPassword('postgres');
    for (const url of [
      `postgres://${hostPort()}${db()}?user=${role}&password=postgres&sslmode=disable`,
      `jdbc:postgresql://${hostPort()}${db()}?user=${role}&password=postgres&sslmode=disable`,
    ]) {
      const r = await ladder(['-path', dir, '-database', url, 'status', '--json']);
      expect(r.code).toBe(0);
      const parsed = JSON.parse(r.stdout);
      expect(parsed.database).toContain('password=xxxxx');
      expect(parsed.database).not.toContain('password=postgres');
    }
  });

  it('a wrong password is reported without it', async () => {
    await setPassword('right-one');
    const r = await ladder(['-path', dir, '-database', userUrl('Wr0ng/P@ss'), 'up']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: Password authentication failed for user "${role}" at`));
    expect(r.stderr).not.toContain('Wr0ng');
    expect(r.stderr).not.toContain(encodeURIComponent('Wr0ng/P@ss'));
    expect(await query(admin, 'select version::text, dirty from schema_migrations')).toEqual([{ version: '1', dirty: false }]);
  });
});

describe('redactUrl', () => {
  it.each([
    ['postgres://app:q8Zk+u/Rt3@host/prod', 'postgres://app:xxxxx@host/prod'],
    ['x postgres://u:a/b@c:d%20e@h:5432/db y', 'x postgres://u:xxxxx@h:5432/db y'],
    ['postgres://postgres:postgres@h/postgres', 'postgres://postgres:xxxxx@h/postgres'],
    ['mysql://u:p@h/db', 'mysql://u:xxxxx@h/db'],
    ['postgres://h:5432/db', 'postgres://h:5432/db'],
    ['{"database":"postgres://u:p\\"q@h/db","dirty":false,"x":"a@b"}', '{"database":"postgres://u:xxxxx@h/db","dirty":false,"x":"a@b"}'],
    ['jdbc:postgresql://h/db?user=u&password=p@x&ssl=true', 'jdbc:postgresql://h/db?user=u&password=xxxxx&ssl=true'],
    ['host=h user=u password=s3cret dbname=d', 'host=h user=u password=xxxxx dbname=d'],
    ["host=h password='it\\'s secret' dbname=d", 'host=h password=xxxxx dbname=d'],
    ['"dirty":false,"status":"applied"', '"dirty":false,"status":"applied"'],
  ])('%s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
    expect(redact(input)).toBe(expected);
  });
  it('registered passwords are replaced only as whole tokens, and only in text from outside Ladder', () => {
    registerSecret('s');
    expect(redact('"dirty":false, 3 migrations')).toBe('"dirty":false, 3 migrations');
    expect(redactSecrets('"dirty":false, 3 migrations')).toBe('"dirty":false, 3 migrations');
    registerSecret('hunter2');
    expect(redactSecrets('server said: hunter2 is wrong (xhunter2y)')).toBe('server said: xxxxx is wrong (xhunter2y)');
  });
});
