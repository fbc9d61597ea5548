import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { SourceView } from '@app/contracts';

import { RoleOrLink } from '../auth/access.decorators';
import { Actor, CurrentActor } from '../auth/request-actor';
import { SourcesService } from './sources.service';

@ApiTags('Sources')
@Controller('api/sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  /** Deck's sources (cached about a minute); a connect link limited to one source sees only that one. */
  @RoleOrLink('viewer')
  @Get()
  list(@CurrentActor() actor: Actor): Promise<SourceView[]> {
    return this.sources.list(actor);
  }
}
