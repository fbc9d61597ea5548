import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${(await scryptAsync(password, salt, 64)).toString('base64')}`;
}

/** Constant-time; also spends the hashing time for unknown accounts, so timing does not reveal them. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [scheme, salt, hash] = (stored ?? 'scrypt$AAAAAAAAAAAAAAAAAAAAAA==$').split('$');
  const expected = Buffer.from(hash || '', 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), 64);
  return scheme === 'scrypt' && expected.length === actual.length && timingSafeEqual(actual, expected);
}
