import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';

import { SandboxClock } from '../scheduler/clock';
import { IdGenerator } from '../common/ids';
import { Transactor } from '@app/sqlite';
import { Organization } from './organization.entity';
import { seedOrganization } from './org-seed';

/** Finds the organisation behind an API key, making and seeding it on first use. */
@Injectable()
export class OrgsService {
  /** Keys are hashed on every request; the cache spares a query for each. */
  private readonly byHash = new Map<string, Organization>();

  constructor(
    private readonly transactor: Transactor,
    private readonly ids: IdGenerator,
    private readonly clock: SandboxClock,
  ) {}

  async forApiKey(apiKey: string): Promise<Organization> {
    const keyHash = createHash('sha256').update(apiKey).digest('hex');
    const cached = this.byHash.get(keyHash);
    if (cached) {
      return cached;
    }
    const org = await this.transactor.run(async (manager) => {
      const existing = await manager.findOneBy(Organization, { key_hash: keyHash });
      if (existing) {
        return existing;
      }
      const now = this.clock.now().toISOString();
      const created = manager.create(Organization, {
        id: `org_${keyHash.slice(0, 24)}`,
        key_hash: keyHash,
        created_at: now,
      });
      await manager.save(created);
      await seedOrganization(manager, this.ids, created.id, now);
      return created;
    });
    this.byHash.set(keyHash, org);
    return org;
  }
}
