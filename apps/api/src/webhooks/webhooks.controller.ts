import { Controller, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Request } from 'express';

import { Public } from '../auth/access.decorators';
import { WebhookAck, WebhooksService } from './webhooks.service';

@ApiTags('Webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  /**
   * Deck's deliveries, authenticated by their Standard Webhooks signature (not
   * a session). 200 for everything validly signed, kept for review when it
   * cannot be applied, so Deck never switches the destination off over it; 401
   * when the signature does not hold. Deck's delivery rate is not abuse: no throttle.
   */
  @Public()
  @SkipThrottle()
  @Post('deck')
  @HttpCode(HttpStatus.OK)
  receive(@Req() req: RawBodyRequest<Request>): Promise<WebhookAck> {
    return this.webhooks.receive(req.rawBody, req.headersDistinct, req.ip);
  }
}
