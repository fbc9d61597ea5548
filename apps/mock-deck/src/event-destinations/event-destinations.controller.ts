import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckDeleted, DeckEventDelivery, DeckEventDestination, DeckList } from '@app/deck';

import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { CreateEventDestinationDto, UpdateEventDestinationDto } from './dto/create-event-destination.dto';
import { ListEventDeliveriesQueryDto } from './dto/list-event-deliveries-query.dto';
import { ListEventDestinationsQueryDto } from './dto/list-event-destinations-query.dto';
import { EventDestinationsService } from './event-destinations.service';

@ApiTags('Event Destinations')
@ApiBearerAuth()
@Controller('v2/event-destinations')
export class EventDestinationsController {
  constructor(private readonly destinations: EventDestinationsService) {}

  /** Creates a destination; a webhook's signing secret is in this response only. */
  @Post()
  create(@CurrentOrg() org: Organization, @Body() dto: CreateEventDestinationDto): Promise<DeckEventDestination> {
    return this.destinations.create(org.id, dto);
  }

  /** Lists destinations, newest first. */
  @Get()
  list(
    @CurrentOrg() org: Organization,
    @Query() query: ListEventDestinationsQueryDto,
  ): Promise<DeckList<DeckEventDestination>> {
    return this.destinations.list(org.id, query);
  }

  /** Retrieves a destination (never its secret). */
  @Get(':destination_id')
  get(@CurrentOrg() org: Organization, @Param('destination_id') id: string): Promise<DeckEventDestination> {
    return this.destinations.get(org.id, id);
  }

  /** Updates a destination; a new `webhook.secret` rotates it, the old one signing for 24 h more. */
  @Patch(':destination_id')
  update(
    @CurrentOrg() org: Organization,
    @Param('destination_id') id: string,
    @Body() dto: UpdateEventDestinationDto,
  ): Promise<DeckEventDestination> {
    return this.destinations.update(org.id, id, dto);
  }

  /** Deletes a destination. */
  @Delete(':destination_id')
  remove(@CurrentOrg() org: Organization, @Param('destination_id') id: string): Promise<DeckDeleted> {
    return this.destinations.remove(org.id, id);
  }

  /** Lists deliveries to this destination, newest first. */
  @Get(':destination_id/event-deliveries')
  deliveries(
    @CurrentOrg() org: Organization,
    @Param('destination_id') id: string,
    @Query() query: ListEventDeliveriesQueryDto,
  ): Promise<DeckList<DeckEventDelivery>> {
    return this.destinations.listDeliveries(org.id, id, query);
  }
}
