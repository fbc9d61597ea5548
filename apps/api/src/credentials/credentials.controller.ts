import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { Response } from 'express';

import type { CredentialDetail, CredentialList, CredentialView, SourceCountsView, TaskRunView } from '@app/contracts';

import { RequireRole, RoleOrLink } from '../auth/access.decorators';
import { Actor, CurrentActor } from '../auth/request-actor';
import { CONNECT_THROTTLE } from '../auth/connect-throttle';
import { CredentialQueriesService } from './credential-queries.service';
import { CredentialsService } from './credentials.service';
import { CreateCredentialDto } from './dto/create-credential.dto';
import { ListCredentialsQueryDto } from './dto/list-credentials-query.dto';
import { UpdateCredentialDto } from './dto/update-credential.dto';

/**
 * The credential flow. Connect pages authenticate with `X-Link-Token` and see
 * only their own end user's credentials; operators use their session.
 */
@ApiTags('Credentials')
@ApiHeader({ name: 'X-Link-Token', required: false, description: 'A connect link token (connect page only).' })
@Controller('api/credentials')
export class CredentialsController {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly queries: CredentialQueriesService,
  ) {}

  /**
   * Stores a login with Deck (status unverified). The password goes to Deck and
   * nowhere else. The same `Idempotency-Key` from the same caller gets the first
   * answer again (header `Idempotent-Replayed: true`), so a double-click makes one credential.
   */
  @RoleOrLink('operator')
  @Throttle(CONNECT_THROTTLE)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1–255 visible ASCII characters.' })
  @Post()
  async create(
    @CurrentActor() actor: Actor,
    @Body() dto: CreateCredentialDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CredentialView> {
    const { credential, replayed } = await this.credentials.create(actor, dto, idempotencyKey);
    if (replayed) {
      res.setHeader('Idempotent-Replayed', 'true');
    }
    return credential;
  }

  /** Filters, sort, cursor pagination and counts by status; a connect page gets only its own. */
  @RoleOrLink('viewer')
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListCredentialsQueryDto): Promise<CredentialList> {
    return this.queries.list(actor, query);
  }

  /** How many credentials each source has, by status; names when Deck gives them. Operators only. */
  @RequireRole('viewer')
  @Get('by-source')
  bySource(): Promise<SourceCountsView[]> {
    return this.queries.bySource();
  }

  /** One credential (by our id or Deck's) with its runs, prompts and timeline. */
  @RoleOrLink('viewer')
  @Get(':id')
  detail(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<CredentialDetail> {
    return this.queries.detail(actor, id);
  }

  /** New login details; the credential goes back to unverified until verified again. */
  @RoleOrLink('operator')
  @Throttle(CONNECT_THROTTLE)
  @Patch(':id')
  update(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Body() dto: UpdateCredentialDto,
  ): Promise<CredentialView> {
    return this.credentials.update(actor, id, dto);
  }

  /** Deletes the login at Deck; the credential stays readable as deleted. */
  @RequireRole('operator')
  @Delete(':id')
  remove(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<CredentialView> {
    return this.credentials.remove(actor, id);
  }

  /** Runs the verification task for the credential; follow the run live or in the detail. */
  @RoleOrLink('operator')
  @Throttle(CONNECT_THROTTLE)
  @Post(':id/verify')
  @HttpCode(HttpStatus.ACCEPTED)
  verify(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<TaskRunView> {
    return this.credentials.verify(actor, id);
  }
}
