import { createParamDecorator, ExecutionContext } from '@nestjs/common';

import type { Organization } from './organization.entity';

/** The request's organisation, as resolved from its API key by `ApiKeyGuard`. */
export interface OrgRequest {
  org?: Organization;
}

export const CurrentOrg = createParamDecorator((_data: unknown, context: ExecutionContext): Organization => {
  const org = context.switchToHttp().getRequest<OrgRequest>().org;
  if (!org) {
    throw new Error('CurrentOrg used on a route without ApiKeyGuard');
  }
  return org;
});
