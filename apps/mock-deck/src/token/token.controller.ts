import { Controller, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';

import type { DeckToken } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { IdGenerator } from '../common/ids';

/** An Auth Component session token lives 30 minutes. */
const TOKEN_LIFETIME_MS = 30 * 60_000;

@ApiTags('Components')
@ApiBearerAuth()
@Controller('v2/token')
export class TokenController {
  constructor(
    private readonly ids: IdGenerator,
    private readonly clock: SandboxClock,
  ) {}

  /** Creates an Auth Component session token, valid for 30 minutes. */
  @Post()
  create(): DeckToken {
    const now = this.clock.nowMs();
    return {
      id: this.ids.newId('token'),
      object: 'token',
      token: this.ids.newId('token_value'),
      expires_at: new Date(now + TOKEN_LIFETIME_MS).toISOString(),
      created_at: new Date(now).toISOString(),
    };
  }
}
