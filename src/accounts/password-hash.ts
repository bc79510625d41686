/**
 * Password hashes: scrypt from node:crypto (no native module), memory-hard with N = 2^15, r = 8, p = 1 (32 MiB,
 * about 0.1 s on one core of the benchmark machine), a 16-byte salt and a 32-byte key. The parameters are stored
 * with the hash, so raising them later leaves older hashes verifiable. A password is never logged or stored.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem above 128·N·r (the default 32 MiB is exactly that, and scrypt needs a little more).
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * (options.N ?? N) * (options.r ?? R) }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether `password` matches `stored`; false for anything that is not a hash this module wrote. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const got = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/**
 * A password's problems, in Vietnamese (empty when it is acceptable): at least 10 characters (NIST SP 800-63B asks
 * 8 at least; longer, since these accounts read personal data), at most 200, and not the account's e-mail.
 */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if ([...password].length < 10) problems.push('Mật khẩu phải có ít nhất 10 ký tự.');
  if (password.length > 200) problems.push('Mật khẩu không được dài quá 200 ký tự.');
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) problems.push('Mật khẩu không được trùng với địa chỉ thư điện tử.');
  return problems;
}
