// pg's crypto helpers (pg/lib/crypto/utils.js), on node:crypto instead of Web Crypto: the bundle's pg uses
// this module. Setting up globalThis.crypto.subtle and importing keys cost ~5x the work of the SCRAM
// handshake itself, on every connection a command opens. Same exports, same results (ArrayBuffer-like
// Buffers where pg passes them on to Buffer.from), as pg's own tests of SCRAM check them.
import { createHash, createHmac, pbkdf2, randomBytes as nodeRandomBytes } from 'node:crypto';

export function randomBytes(length: number): Buffer {
  return nodeRandomBytes(length);
}

export async function md5(text: string | Buffer): Promise<string> {
  return createHash('md5').update(text).digest('hex');
}

export async function postgresMd5PasswordHash(user: string, password: string, salt: Buffer): Promise<string> {
  const inner = await md5(password + user);
  return 'md5' + (await md5(Buffer.concat([Buffer.from(inner), salt])));
}

export async function sha256(data: Buffer | ArrayBuffer): Promise<Buffer> {
  return createHash('sha256').update(Buffer.from(data as ArrayBuffer)).digest();
}

/** Web Crypto's names ('SHA-256', 'SHA-512') as node:crypto's ('sha256', 'sha512'). */
export async function hashByName(hashName: string, data: Buffer | ArrayBuffer): Promise<Buffer> {
  return createHash(hashName.replace('-', '').toLowerCase()).update(Buffer.from(data as ArrayBuffer)).digest();
}

export async function hmacSha256(key: Buffer | ArrayBuffer, msg: string): Promise<Buffer> {
  return createHmac('sha256', Buffer.from(key as ArrayBuffer)).update(msg, 'utf8').digest();
}

/** PBKDF2-HMAC-SHA-256, 32 bytes, on libuv's thread pool as Web Crypto's deriveBits is. */
export function deriveKey(password: string, salt: Uint8Array, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) => pbkdf2(password, salt, iterations, 32, 'sha256', (err, key) => (err ? reject(err) : resolve(key))));
}
