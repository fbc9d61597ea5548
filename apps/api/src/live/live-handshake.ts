import { Inject, Injectable } from '@nestjs/common';

import type { ApiErrorCode, LiveHandshake } from '@app/contracts';

import { AuthService } from '../auth/auth.service';
import { cookieValue, SESSION_COOKIE } from '../auth/session-cookie';
import { apiConfig, ApiConfig } from '../config/api.config';
import type { LiveSocket, LiveSocketData } from './live-audience';

/** Link tokens are 43 characters; anything much longer is not one. */
const MAX_TOKEN_LENGTH = 200;

/** A refused handshake: the client's `connect_error` carries the message and `data.code`. */
export class LiveRefusal extends Error {
  readonly data: { code: ApiErrorCode };

  constructor(message: string, code: ApiErrorCode) {
    super(message);
    this.data = { code };
  }
}

/**
 * Decides at connection who a socket speaks for: the Origin must be one of
 * ours (a valid cookie sent by another site's page is refused), then an
 * operator session cookie, else a connect link's token from the handshake's
 * `auth` payload (never the URL).
 */
@Injectable()
export class LiveHandshakeAuth {
  constructor(
    private readonly auth: AuthService,
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
  ) {}

  async admit(handshake: LiveSocket['handshake']): Promise<LiveSocketData> {
    const origin = handshake.headers.origin;
    if (typeof origin !== 'string' || !this.config.allowedOrigins.includes(origin.replace(/\/+$/, ''))) {
      throw new LiveRefusal('origin not allowed', 'forbidden');
    }
    const payload = (handshake.auth ?? {}) as Record<keyof LiveHandshake, unknown>;
    const lastSeq = payload.last_seq ?? null;
    if (lastSeq !== null && !(typeof lastSeq === 'number' && Number.isSafeInteger(lastSeq) && lastSeq >= 0)) {
      throw new LiveRefusal('last_seq must be a non-negative integer', 'validation_failed');
    }
    // A connect page's link wins over an operator cookie in the same browser, as over REST.
    const link = payload.link_token;
    if (typeof link === 'string' && link !== '') {
      const endUser = link.length <= MAX_TOKEN_LENGTH ? await this.auth.endUserForLink(link) : null;
      if (!endUser) {
        throw new LiveRefusal('unauthenticated', 'link_invalid');
      }
      return {
        audience: { kind: 'end_user', externalId: endUser.externalId },
        lastSeq,
        floor: 0,
        proof: { kind: 'link', token: link },
      };
    }
    const session = cookieValue(handshake.headers.cookie, SESSION_COOKIE);
    if (session && (await this.auth.operatorForSession(session))) {
      return { audience: { kind: 'operators' }, lastSeq, floor: 0, proof: { kind: 'session', token: session } };
    }
    throw new LiveRefusal('unauthenticated', 'unauthenticated');
  }

  /** Whether what admitted the socket still holds (the session not logged out or expired, the link not expired). */
  async stillValid(data: LiveSocketData): Promise<boolean> {
    if (data.proof.kind === 'session') {
      return (await this.auth.operatorForSession(data.proof.token)) !== null;
    }
    const endUser = await this.auth.endUserForLink(data.proof.token);
    return data.audience.kind === 'end_user' && endUser?.externalId === data.audience.externalId;
  }
}
