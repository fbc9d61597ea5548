import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';

import type { InteractionView, Page } from '@app/contracts';

import { RoleOrLink } from '../auth/access.decorators';
import { Actor, CurrentActor } from '../auth/request-actor';
import { AnswerInteractionDto } from './dto/answer-interaction.dto';
import { ListInteractionsQueryDto } from './dto/list-interactions.query';
import { InteractionsService } from './interactions.service';

@ApiTags('Interactions')
@Controller('api')
export class InteractionsController {
  constructor(private readonly interactions: InteractionsService) {}

  /** The prompt queue, newest first (`?state=open` or `?status=open`); a connect link sees only its own user's. */
  @RoleOrLink('viewer')
  @Get('interactions')
  list(@CurrentActor() actor: Actor, @Query() query: ListInteractionsQueryDto): Promise<Page<InteractionView>> {
    return this.interactions.list(actor, query);
  }

  /**
   * Answers the open prompt of a run (`:id` is the local run id) and forwards it to Deck once.
   * 409 when the run is not waiting or someone else is answering it.
   */
  @RoleOrLink('operator')
  @Throttle({ default: { limit: 30, ttl: 60_000 } })
  @Post('task-runs/:id/interaction')
  @HttpCode(HttpStatus.OK)
  answer(
    @CurrentActor() actor: Actor,
    @Param('id') runId: string,
    @Body() dto: AnswerInteractionDto,
  ): Promise<InteractionView> {
    return this.interactions.answer(actor, runId, dto.input);
  }
}
