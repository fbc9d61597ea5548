import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckEventDelivery, SandboxAttemptTail } from '@app/deck';

import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { TailAttemptsQueryDto } from './dto/tail-attempts-query.dto';
import { SandboxDeliveriesService } from './sandbox-deliveries.service';

/** The organisation's delivery log and redelivery (sandbox-only, never under /v2). */
@ApiTags('Sandbox')
@ApiBearerAuth()
@Controller('sandbox')
export class SandboxDeliveriesController {
  constructor(private readonly sandbox: SandboxDeliveriesService) {}

  /** Attempts after a `seq`, oldest first, for a live tail: poll again with `after=next_after`. */
  @Get('attempts')
  tail(@CurrentOrg() org: Organization, @Query() query: TailAttemptsQueryDto): Promise<SandboxAttemptTail> {
    return this.sandbox.tail(org.id, query);
  }

  /**
   * Sends the delivery's event again now (same `webhook-id`, fresh timestamp),
   * whatever its status; the attempt is logged with `redelivery: true`.
   */
  @Post('event-deliveries/:delivery_id/redeliver')
  @HttpCode(HttpStatus.ACCEPTED)
  redeliver(@CurrentOrg() org: Organization, @Param('delivery_id') id: string): Promise<DeckEventDelivery> {
    return this.sandbox.redeliver(org.id, id);
  }
}
