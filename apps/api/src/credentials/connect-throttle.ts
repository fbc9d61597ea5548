import type { Request } from 'express';

import { cookieValue, LINK_TOKEN_HEADER, SESSION_COOKIE, tokenHash } from '../auth/session-cookie';

/** Per minute, per caller: a person filling in a form a few times, not a script trying logins. */
export const CONNECT_LIMIT = { limit: 20, ttl: 60_000 };

/**
 * Counts per address and per link or session, so one connect page (or one
 * operator) cannot use up the allowance of everyone behind the same address.
 * The token is hashed: the throttler's keys are not a place for secrets.
 */
export function connectTracker(req: Record<string, unknown>): string {
  const request = req as unknown as Request;
  const link = request.headers[LINK_TOKEN_HEADER];
  const credential = typeof link === 'string' ? link : (cookieValue(request.headers.cookie, SESSION_COOKIE) ?? '');
  return `${request.ip ?? 'unknown'}|${tokenHash(credential).slice(0, 32)}`;
}

/** The @Throttle options of the connect routes. */
export const CONNECT_THROTTLE = { default: { ...CONNECT_LIMIT, getTracker: connectTracker } };
