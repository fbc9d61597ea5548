import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckDeleted, DeckList, DeckSource } from '@app/deck';

import { ListQueryDto } from '../common/query-transforms';
import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { CreateSourceDto } from './dto/create-source.dto';
import { UpdateSourceDto } from './dto/update-source.dto';
import { SourcesService } from './sources.service';

@ApiTags('Sources')
@ApiBearerAuth()
@Controller('v2/sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  /** Creates a website source. */
  @Post()
  create(@CurrentOrg() org: Organization, @Body() dto: CreateSourceDto): Promise<DeckSource> {
    return this.sources.create(org.id, dto);
  }

  /** Lists sources, newest first. */
  @Get()
  list(@CurrentOrg() org: Organization, @Query() query: ListQueryDto): Promise<DeckList<DeckSource>> {
    return this.sources.list(org.id, query);
  }

  /** Retrieves a source. */
  @Get(':source_id')
  get(@CurrentOrg() org: Organization, @Param('source_id') id: string): Promise<DeckSource> {
    return this.sources.get(org.id, id);
  }

  /** Updates a source's name or website. */
  @Patch(':source_id')
  update(
    @CurrentOrg() org: Organization,
    @Param('source_id') id: string,
    @Body() dto: UpdateSourceDto,
  ): Promise<DeckSource> {
    return this.sources.update(org.id, id, dto);
  }

  /** Deletes a source. */
  @Delete(':source_id')
  remove(@CurrentOrg() org: Organization, @Param('source_id') id: string): Promise<DeckDeleted> {
    return this.sources.remove(org.id, id);
  }
}
