import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckEvent, DeckTaskRun, ForcedStatus } from '@app/deck';

import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { ForceCredentialStatusDto } from './dto/force-credential-status.dto';
import { ReviewDecisionDto } from './dto/review-decision.dto';
import { TriggerEventDto } from './dto/trigger-event.dto';
import { EventTriggerService } from './event-trigger.service';
import { OrganizationResetService } from './organization-reset.service';
import { SandboxActionsService } from './sandbox-actions.service';

/** The control plane Deck does not have: drive the sandbox from tests, the CLI and the dashboard. */
@ApiTags('Sandbox')
@ApiBearerAuth()
@Controller('sandbox')
export class SandboxController {
  constructor(
    private readonly resets: OrganizationResetService,
    private readonly triggers: EventTriggerService,
    private readonly actions: SandboxActionsService,
  ) {}

  /** Deletes everything the organisation has and seeds it again. */
  @Post('reset')
  @HttpCode(HttpStatus.OK)
  reset(@CurrentOrg() org: Organization): ReturnType<OrganizationResetService['reset']> {
    return this.resets.reset(org.id);
  }

  /** Sends any event type for a chosen object, with a custom payload, to every subscribed destination. */
  @Post('trigger')
  trigger(@CurrentOrg() org: Organization, @Body() dto: TriggerEventDto): Promise<DeckEvent> {
    return this.triggers.trigger(org.id, dto);
  }

  /** Forces a credential's status now, or after a delay (`after: "3d"`): a credential that breaks later. */
  @Post('credentials/:credential_id/status')
  @HttpCode(HttpStatus.OK)
  forceCredentialStatus(
    @CurrentOrg() org: Organization,
    @Param('credential_id') id: string,
    @Body() dto: ForceCredentialStatusDto,
  ): Promise<ForcedStatus> {
    return this.actions.forceCredentialStatus(org.id, id, dto);
  }

  /** Approves (completes) or rejects (fails) a run waiting in review_required. */
  @Post('task-runs/:run_id/review')
  @HttpCode(HttpStatus.OK)
  review(
    @CurrentOrg() org: Organization,
    @Param('run_id') id: string,
    @Body() dto: ReviewDecisionDto,
  ): Promise<DeckTaskRun> {
    return this.actions.decideReview(org.id, id, dto.decision === 'approve');
  }
}
