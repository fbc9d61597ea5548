import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { SandboxClock } from '../scheduler/clock';
import { IdGenerator } from '../common/ids';
import { Transactor } from '@app/sqlite';
import { seedOrganization } from '../orgs/org-seed';
import { Organization } from '../orgs/organization.entity';

/** Wipes one organisation back to its first-use state: every row it owns goes, then the seed data returns. */
@Injectable()
export class OrganizationResetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactor: Transactor,
    private readonly ids: IdGenerator,
    private readonly clock: SandboxClock,
  ) {}

  async reset(
    orgId: string,
  ): Promise<{ object: 'sandbox_reset'; organization: string; deleted: Record<string, number> }> {
    const deleted: Record<string, number> = {};
    await this.transactor.run(async (manager) => {
      // Every table with an org_id, so tables added later are wiped too.
      for (const meta of this.dataSource.entityMetadatas) {
        if (meta.target === Organization || !meta.findColumnWithPropertyName('org_id')) {
          continue;
        }
        const result = await manager
          .createQueryBuilder()
          .delete()
          .from(meta.target)
          .where('org_id = :orgId', { orgId })
          .execute();
        deleted[meta.tableName] = result.affected ?? 0;
      }
      await seedOrganization(manager, this.ids, orgId, this.clock.now().toISOString());
    });
    return { object: 'sandbox_reset', organization: orgId, deleted };
  }
}
