import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckList, DestinationFaults, DestinationSecret, SandboxDeliveryAttempt } from '@app/deck';

import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { DeliveryFaultsDto } from './dto/delivery-faults.dto';
import { ListAttemptsQueryDto } from './dto/list-attempts-query.dto';
import { SandboxDeliveriesService } from './sandbox-deliveries.service';

/** Sandbox-only controls of an event destination (never under /v2). */
@ApiTags('Sandbox')
@ApiBearerAuth()
@Controller('sandbox/event-destinations')
export class SandboxEventDestinationsController {
  constructor(private readonly sandbox: SandboxDeliveriesService) {}

  /** The destination's signing secret (and, during a rotation's 24 h overlap, the previous one). */
  @Get(':destination_id/secret')
  secret(@CurrentOrg() org: Organization, @Param('destination_id') id: string): Promise<DestinationSecret> {
    return this.sandbox.secret(org.id, id);
  }

  /** The delivery faults set on the destination (null when none). */
  @Get(':destination_id/faults')
  faults(@CurrentOrg() org: Organization, @Param('destination_id') id: string): Promise<DestinationFaults> {
    return this.sandbox.faults(org.id, id);
  }

  /** Replaces the destination's delivery faults; they apply from the next send. */
  @Put(':destination_id/faults')
  setFaults(
    @CurrentOrg() org: Organization,
    @Param('destination_id') id: string,
    @Body() dto: DeliveryFaultsDto,
  ): Promise<DestinationFaults> {
    return this.sandbox.setFaults(org.id, id, dto);
  }

  /** Clears the destination's delivery faults. */
  @Delete(':destination_id/faults')
  clearFaults(@CurrentOrg() org: Organization, @Param('destination_id') id: string): Promise<DestinationFaults> {
    return this.sandbox.setFaults(org.id, id, null);
  }

  /** Every webhook request made to the destination, newest first: status, latency, answer, error and faults. */
  @Get(':destination_id/attempts')
  attempts(
    @CurrentOrg() org: Organization,
    @Param('destination_id') id: string,
    @Query() query: ListAttemptsQueryDto,
  ): Promise<DeckList<SandboxDeliveryAttempt>> {
    return this.sandbox.listAttempts(org.id, id, query);
  }
}
