import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ours from '../../src/cli/pg-crypto.js';

// The CLI bundle gives pg these node:crypto helpers in place of its Web Crypto ones: same results, byte for byte.
const theirs = createRequire(import.meta.url)('pg/lib/crypto/utils.js') as typeof ours;
const bytes = (b: ArrayBuffer | Buffer) => Buffer.from(b as ArrayBuffer).toString('hex');

describe("pg's crypto helpers on node:crypto", () => {
  it('give what pg\'s own give for SCRAM-SHA-256, md5 and channel binding', async () => {
    const salt = Buffer.from('c2FsdHNhbHRzYWx0', 'base64');
    const salted = await ours.deriveKey('pa$$ wörd', salt, 4096);
    expect(bytes(salted)).toBe(bytes(await theirs.deriveKey('pa$$ wörd', salt, 4096)));
    const key = await ours.hmacSha256(salted, 'Client Key');
    expect(bytes(key)).toBe(bytes(await theirs.hmacSha256(salted, 'Client Key')));
    expect(bytes(await ours.sha256(key))).toBe(bytes(await theirs.sha256(key)));
    for (const name of ['SHA-256', 'SHA-384', 'SHA-512']) expect(bytes(await ours.hashByName(name, key))).toBe(bytes(await theirs.hashByName(name, key)));
    expect(await ours.postgresMd5PasswordHash('alice', 'secret', Buffer.from([1, 2, 3, 4]))).toBe(await theirs.postgresMd5PasswordHash('alice', 'secret', Buffer.from([1, 2, 3, 4])));
    expect(ours.randomBytes(18)).toHaveLength(18);
  });

  it('are what the built CLI bundles (npm run build), with no Web Crypto left in it', () => {
    const core = readFileSync(join(import.meta.dirname, '..', '..', 'dist', 'core.mjs'), 'utf8');
    expect(core).toContain('pbkdf2');
    expect(core).not.toContain('subtle');
  });
});
