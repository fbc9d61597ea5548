import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckTestResponse } from '@app/deck';

@ApiTags('Test')
@ApiBearerAuth()
@Controller('v2/test')
export class TestController {
  /** Checks the API key. */
  @Get()
  check(): DeckTestResponse {
    return { status: 'ready', environment: 'live' };
  }
}
