import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';

import { Public } from '../auth/access.decorators';
import { CatchUpHealthIndicator } from './catch-up-health.indicator';
import { DeckHealthIndicator } from './deck-health.indicator';
import { HealthUnavailableFilter } from './health-unavailable.filter';

@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly deck: DeckHealthIndicator,
    private readonly catchUp: CatchUpHealthIndicator,
  ) {}

  /** 200 when the database, Deck, our webhook destination and catch-up are all fine; 503 naming what is not. */
  @Public()
  @SkipThrottle()
  @Get()
  @HealthCheck()
  @UseFilters(HealthUnavailableFilter)
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1000 }),
      () => this.deck.reachable('deck'),
      () => this.deck.destinationActive('webhook_destination'),
      () => this.catchUp.recent('catch_up'),
    ]);
  }
}
