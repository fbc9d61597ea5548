import { createHash, randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'deckhand_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** The header a connect page sends its link token in (never a URL query or a cookie). */
export const LINK_TOKEN_HEADER = 'x-link-token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as their sha256. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Reads one cookie from a raw Cookie header (socket.io handshakes have no cookie-parser). */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      return decodeURIComponent(rest.join('='));
    }
  }
  return null;
}
