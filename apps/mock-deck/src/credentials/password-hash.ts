import { randomBytes, scrypt, ScryptOptions } from 'node:crypto';

/**
 * scrypt at a cost of 2^10 (about 2 ms): the hash is never checked, it only keeps the password out
 * of the database, so the default cost (2^14, ~80 ms of a core) would make creating credentials
 * CPU-bound in a burst for no gain.
 */
const COST = 1024;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, 32, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** A salted scrypt hash (its cost in the text): the sandbox keeps no password in clear. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, { N: COST });
  return `scrypt$N=${COST}$${salt.toString('base64')}$${hash.toString('base64')}`;
}
