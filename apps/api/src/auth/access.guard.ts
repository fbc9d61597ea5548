import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';

import { ApiError } from '../common/api-error';
import { ConnectAddressLimit } from './connect-throttle';
import { Access, ACCESS } from './access.decorators';
import { AuthService, roleAtLeast } from './auth.service';
import { Csrf, CSRF } from './csrf';
import type { ActorRequest } from './request-actor';
import { cookieValue, LINK_TOKEN_HEADER, SESSION_COOKIE } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every HTTP route's gate: who is calling (session cookie or connect link),
 * whether their role allows the route, and, for cookie-authenticated writes,
 * the CSRF token. 401 when nobody is logged in, 403 only for authorisation.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    @Inject(CSRF) private readonly csrf: Csrf,
    private readonly connectLimit: ConnectAddressLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') {
      return true;
    }
    const access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [
      context.getHandler(),
      context.getClass(),
    ]) ?? {
      kind: 'role',
      role: 'viewer',
    };
    if (access.kind === 'public') {
      return true;
    }
    const request = context.switchToHttp().getRequest<ActorRequest>();
    // A request that names a link speaks for that end user, even from a browser where an
    // operator is signed in: the operator opening an end user's link sees what the end user sees.
    const link = request.headers[LINK_TOKEN_HEADER];
    if (access.kind === 'role_or_link' && typeof link === 'string') {
      await this.connectLimit.count(request, context.switchToHttp().getResponse<Response>());
      const endUser = await this.auth.endUserForLink(link);
      if (!endUser) {
        throw new ApiError('link_invalid', 'This link has expired or is not valid. Ask for a new one.');
      }
      request.actor = endUser;
      return true;
    }
    const session = cookieValue(request.headers.cookie, SESSION_COOKIE);
    const operator = session ? await this.auth.operatorForSession(session) : null;
    if (operator) {
      if (!roleAtLeast(operator.role, access.role)) {
        throw new ApiError('forbidden', `This needs the ${access.role} role.`);
      }
      if (!SAFE_METHODS.has(request.method) && !this.csrf.validateRequest(request)) {
        throw new ApiError('csrf_invalid', 'Missing or stale CSRF token: reload the page and try again.');
      }
      request.actor = operator;
      return true;
    }
    throw new ApiError('unauthenticated', 'Log in first.');
  }
}
