import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';

import type { Page, ReceivedEventDetail, ReceivedEventView, StatusChangeSeries } from '@app/contracts';

import { ListReceivedEventsQueryDto } from './dto/list-received-events.dto';
import { StatusChangesQueryDto } from './dto/status-changes-query.dto';
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

  /** Credentials verified and invalidated per hour (Deck's event time) over the last day or week, zeros included. */
  @Get('status-changes')
  statusChanges(@Query() query: StatusChangesQueryDto): Promise<StatusChangeSeries> {
    return this.events.statusChanges(query);
  }

  /** One received event with its payload. */
  @Get(':id')
  detail(@Param('id') id: string): Promise<ReceivedEventDetail> {
    return this.events.detail(id);
  }
}
