import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckList, DeckStorageItem } from '@app/deck';

import { ListQueryDto } from '../common/query-transforms';
import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { StorageService } from './storage.service';

@ApiTags('Storage')
@ApiBearerAuth()
@Controller('v2')
export class StorageController {
  constructor(private readonly storage: StorageService) {}

  /** Retrieves a captured file's details. */
  @Get('storage/:storage_id')
  get(@CurrentOrg() org: Organization, @Param('storage_id') id: string): Promise<DeckStorageItem> {
    return this.storage.get(org.id, id);
  }

  /** Lists the files a run captured. */
  @Get('task-runs/:run_id/storage')
  listForRun(
    @CurrentOrg() org: Organization,
    @Param('run_id') runId: string,
    @Query() query: ListQueryDto,
  ): Promise<DeckList<DeckStorageItem>> {
    return this.storage.listForRun(org.id, runId, query);
  }
}
