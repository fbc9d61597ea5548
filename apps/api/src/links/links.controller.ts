import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

import type { LinkContextView, LinkView } from '@app/contracts';

import { RequireRole, RoleOrLink } from '../auth/access.decorators';
import { Actor, CurrentActor } from '../auth/request-actor';
import { CreateLinkDto } from './dto/create-link.dto';
import { LinksService } from './links.service';

@ApiTags('Links')
@Controller('api/links')
export class LinksController {
  constructor(private readonly links: LinksService) {}

  /** Issues a short-lived connect link for an end user; the token is in the URL's fragment and shown only here. */
  @RequireRole('operator')
  @Post()
  create(@CurrentActor() actor: Actor, @Body() dto: CreateLinkDto): Promise<LinkView> {
    return this.links.create(actor, dto);
  }

  /** For the connect page (X-Link-Token): which end user and source its link is for. Operators get 404. */
  @RoleOrLink('viewer')
  @Get('current')
  current(@CurrentActor() actor: Actor): Promise<LinkContextView> {
    return this.links.current(actor);
  }
}
