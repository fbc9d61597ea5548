import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckEvent, DeckList } from '@app/deck';

import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { ListEventsQueryDto } from './dto/list-events-query.dto';
import { EventsService } from './events.service';

@ApiTags('Events')
@ApiBearerAuth()
@Controller('v2/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  /** Lists events, newest first. */
  @Get()
  list(@CurrentOrg() org: Organization, @Query() query: ListEventsQueryDto): Promise<DeckList<DeckEvent>> {
    return this.events.list(org.id, query);
  }

  /** Retrieves one event. */
  @Get(':event_id')
  get(@CurrentOrg() org: Organization, @Param('event_id') id: string): Promise<DeckEvent> {
    return this.events.get(org.id, id);
  }
}
