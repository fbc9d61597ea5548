import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { API_KEY_PATTERN } from '@app/deck';

import { DeckError } from '../common/deck-error';
import { IS_PUBLIC } from '../common/public.decorator';
import type { OrgRequest } from './current-org.decorator';
import { OrgsService } from './orgs.service';

/**
 * `Authorization: Bearer sk_live_…` (or `sk_test_…`). Each distinct key is its
 * own organisation, made and seeded on first use, so parallel test runs and
 * QA people never see each other's data.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly orgs: OrgsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<Request & OrgRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) {
      throw new DeckError('api_key_invalid', 'Provide your API key as `Authorization: Bearer sk_live_…`.');
    }
    if (!API_KEY_PATTERN.test(match[1])) {
      throw new DeckError('api_key_invalid', 'The API key is not valid.');
    }
    request.org = await this.orgs.forApiKey(match[1]);
    return true;
  }
}
