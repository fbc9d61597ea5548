import { Controller, Get, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';

import type { Page, ReceivedEventView } from '@app/contracts';

import { ListReceivedEventsQueryDto } from './dto/list-received-events.dto';
import { ReceivedEventsService } from './received-events.service';

@ApiTags('Events')
@ApiCookieAuth()
@Controller('api/events')
export class ReceivedEventsController {
  constructor(private readonly events: ReceivedEventsService) {}

  /** Events received from Deck, newest first, with duplicates counted and what became of each. Any operator. */
  @Get()
  list(@Query() query: ListReceivedEventsQueryDto): Promise<Page<ReceivedEventView>> {
    return this.events.list(query);
  }
}
