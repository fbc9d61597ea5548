import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';

import type { OrgRequest } from '../orgs/current-org.decorator';

/**
 * Deck's limit is per organisation, shared by all its keys,
 * so requests are counted by organisation, not by address. Runs after
 * `ApiKeyGuard`, which sets the organisation.
 */
@Injectable()
export class OrgThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(request: Record<string, unknown>): Promise<string> {
    const org = (request as OrgRequest).org;
    return Promise.resolve(org ? org.id : String(request.ip));
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(!context.switchToHttp().getRequest<OrgRequest>().org);
  }
}
