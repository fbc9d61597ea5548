import { Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckSession } from '@app/deck';

import { CurrentOrg } from '../orgs/current-org.decorator';
import type { Organization } from '../orgs/organization.entity';
import { SessionsService } from './sessions.service';

@ApiTags('Sessions')
@ApiBearerAuth()
@Controller('v2/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  /** Retrieves a session with the runs it has executed. */
  @Get(':session_id')
  get(@CurrentOrg() org: Organization, @Param('session_id') id: string): Promise<DeckSession> {
    return this.sessions.get(org.id, id);
  }

  /** Ends a session; its unfinished runs are cancelled. */
  @Post(':session_id/end')
  @HttpCode(HttpStatus.OK)
  end(@CurrentOrg() org: Organization, @Param('session_id') id: string): Promise<DeckSession> {
    return this.sessions.end(org.id, id);
  }
}
