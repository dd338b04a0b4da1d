import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/db/url.js';
import { redact, redactSecrets, redactUrl } from '../../src/redact.js';
import { LadderError } from '../../src/errors.js';

describe('database URL', () => {
  it('reads golang-migrate x- options and strips them before connecting', () => {
    const t = parseDatabaseUrl('postgres://u:pw@db.example:6543/app?sslmode=disable&x-migrations-table=my_versions&x-statement-timeout=5000&x-migrations-table-quoted=0');
    expect(t.options).toEqual({ migrationsTable: 'my_versions', migrationsTableQuoted: false, statementTimeoutMs: 5000 });
    expect(t.config).toMatchObject({ user: 'u', password: 'pw', host: 'db.example', port: 6543, database: 'app', ssl: false, application_name: 'ladder' });
    expect(t.display).toBe('postgres://u:xxxxx@db.example:6543/app?sslmode=disable');
    expect(t.urlPath).toBe('/app');
  });
  it('passes other parameters (search_path) to the server as settings, as lib/pq does', () => {
    const t = parseDatabaseUrl('postgresql://u@localhost/app?search_path=tenant_a&x-migrations-table=v');
    expect(t.config.options).toBe('-c search_path=tenant_a');
  });
  it('decodes a percent-encoded password and never displays it', () => {
    const t = parseDatabaseUrl('postgres://me:p%40ss%3Aw0rd@h/db');
    expect(t.config.password).toBe('p@ss:w0rd');
    expect(t.display).not.toContain('w0rd');
    expect(redactSecrets('pq: password authentication failed, password was p@ss:w0rd')).not.toContain('p@ss:w0rd');
  });
  it("takes Flyway's jdbc:postgresql:// URL, with the user and password as query parameters, and never displays that password", () => {
    const t = parseDatabaseUrl('jdbc:postgresql://db.example:5433/app?user=flyway&password=s3cr3t-jdbc&sslmode=disable');
    expect(t.config).toMatchObject({ user: 'flyway', password: 's3cr3t-jdbc', host: 'db.example', port: 5433, database: 'app' });
    expect(t.display).not.toContain('s3cr3t-jdbc');
    expect(t.display).toContain('password=xxxxx');
    expect(redactUrl('postgres://h/db?sslmode=require&password=abc&user=u')).toBe('postgres://h/db?sslmode=require&password=xxxxx&user=u');
  });
  it('quoted table option', () => {
    expect(parseDatabaseUrl('postgres://h/db?x-migrations-table="a"."b"&x-migrations-table-quoted=true').options).toMatchObject({
      migrationsTable: '"a"."b"',
      migrationsTableQuoted: true,
    });
  });
  it.each([
    ['not a url', /not a valid URL/],
    ['mysql://u:secretpw@h/db', /Unsupported database URL scheme "mysql"/],
    // No "//" after the scheme: a URL with an opaque path, which the redaction of "://user:" cannot see.
    ['postgres:wrong//postgres:secretpw@127.0.0.1:1/nu', /must start with postgres:\/\//],
    ['postgres://h/db?sslmode=bogus', /Unknown sslmode "bogus"/],
    ['postgres://h/db?x-statement-timeout=soon', /x-statement-timeout/],
    ['postgres://h/db?x-migrations-table-quoted=maybe', /x-migrations-table-quoted/],
  ])('rejects %s with a usage error', (url, message) => {
    let caught: unknown;
    try {
      parseDatabaseUrl(url);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(LadderError);
    expect((caught as LadderError).message).toMatch(message);
    expect((caught as LadderError).exitCode).toBe(2);
    expect((caught as LadderError).message).not.toContain('secretpw');
  });
});

describe('redaction', () => {
  it('hides the password of any postgres URL in free text', () => {
    expect(redactUrl('connect postgres://alice:hunter2@db:5432/x failed')).toBe('connect postgres://alice:xxxxx@db:5432/x failed');
    expect(redact('a postgresql://bob:s3cr3t@h/db b')).toBe('a postgresql://bob:xxxxx@h/db b');
  });
  it('hides registered secrets in driver errors, as whole tokens', () => {
    parseDatabaseUrl('postgres://carol:TopSecret99@h/db');
    expect(redactSecrets('error near "TopSecret99" and TopSecret99')).toBe('error near "xxxxx" and xxxxx');
    expect(redactSecrets('xTopSecret99y')).toBe('xTopSecret99y');
  });
  it('leaves URLs without a password alone', () => {
    expect(redact('postgres://dave@h/db')).toBe('postgres://dave@h/db');
  });
});
