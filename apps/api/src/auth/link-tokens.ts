import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { LinkTokenRow } from './link-token.entity';

/** Connect links as the module issuing them sees them: stored (hashed) and looked up; checking one is AuthService's. */
@Injectable()
export class LinkTokens {
  /** Inside the caller's transaction, so the link and its audit entry are written together. */
  async store(manager: EntityManager, link: LinkTokenRow): Promise<void> {
    await manager.insert(LinkTokenRow, link);
  }

  /** By its token's hash, expired or not. */
  byHash(manager: EntityManager, tokenHash: string): Promise<LinkTokenRow | null> {
    return manager.findOneBy(LinkTokenRow, { token_hash: tokenHash });
  }
}
