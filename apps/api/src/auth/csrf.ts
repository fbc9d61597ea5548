import { randomBytes } from 'node:crypto';
import { doubleCsrf } from 'csrf-csrf';
import type { Request } from 'express';

import { cookieValue, SESSION_COOKIE, tokenHash } from './session-cookie';

/** Angular's HttpClient reads this cookie and echoes it in `X-XSRF-TOKEN` on writes. */
export const XSRF_COOKIE = 'XSRF-TOKEN';
export const XSRF_HEADER = 'x-xsrf-token';

/**
 * Double-submit CSRF protection (csrf-csrf) tied to the operator's session:
 * a write with a session cookie must echo the XSRF-TOKEN cookie in a header,
 * and the token is only valid for that session. The signing secret lives in
 * memory only; after a restart the dashboard fetches a fresh token.
 */
export function createCsrf(secure: boolean) {
  const secret = randomBytes(32).toString('base64url');
  return doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req: Request) => tokenHash(cookieValue(req.headers.cookie, SESSION_COOKIE) ?? ''),
    cookieName: XSRF_COOKIE,
    cookieOptions: { httpOnly: false, sameSite: 'strict', secure, path: '/' },
    getCsrfTokenFromRequest: (req: Request) => {
      const header = req.headers[XSRF_HEADER];
      return typeof header === 'string' ? header : null;
    },
  });
}

export type Csrf = ReturnType<typeof createCsrf>;
export const CSRF = Symbol('CSRF');
