import { Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, normalizeIp, ThrottlerStorage } from '@nestjs/throttler';
import type { Request, Response } from 'express';

import { cookieValue, LINK_TOKEN_HEADER, SESSION_COOKIE, tokenHash } from './session-cookie';
import { ApiError } from '../common/api-error';

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

/**
 * Per minute, per client address, over every request that presents a link
 * token (valid or not): the per-link buckets above cannot stop one address
 * trying a new random token each time. Several connect pages behind one address still fit.
 */
export const CONNECT_ADDRESS_LIMIT = { limit: 120, ttl: 60_000 };

/** Counts link-token requests per address in the throttler's own storage; called before the token is looked up. */
@Injectable()
export class ConnectAddressLimit {
  constructor(@InjectThrottlerStorage() private readonly storage: ThrottlerStorage) {}

  /** Throws 429 `rate_limited`, with Retry-After, once the address is over its limit. */
  async count(req: Request, res: Response): Promise<void> {
    const { limit, ttl } = CONNECT_ADDRESS_LIMIT;
    const address = normalizeIp(req.ip ?? 'unknown');
    const record = await this.storage.increment(`connect-address|${address}`, ttl, limit, ttl, 'connect_address');
    if (record.isBlocked) {
      res.setHeader('Retry-After', String(record.timeToBlockExpire));
      throw new ApiError('rate_limited', 'Too many connect requests from this address. Wait a minute and try again.');
    }
  }
}
