import { Controller, Get } from '@nestjs/common';
import { ApiCookieAuth, ApiTags } from '@nestjs/swagger';

import type { ConsoleInfoView } from '@app/contracts';

import { ConsoleService } from './console.service';

@ApiTags('Console')
@ApiCookieAuth()
@Controller('api/console')
export class ConsoleController {
  constructor(private readonly consoleInfo: ConsoleService) {}

  /** Whether Deck is the sandbox, and the webhook destination the api registered there. Any operator. */
  @Get()
  info(): Promise<ConsoleInfoView> {
    return this.consoleInfo.info();
  }
}
