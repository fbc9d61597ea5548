import { Controller, Get, UseFilters } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Throttle } from '@nestjs/throttler';

import { Public } from '../auth/access.decorators';
import { CatchUpHealthIndicator } from './catch-up-health.indicator';
import { DeckHealthIndicator } from './deck-health.indicator';
import { HealthUnavailableFilter } from './health-unavailable.filter';

/** Per address and minute: a monitor or a dashboard tab polls every few seconds; more is a flood. */
export const HEALTH_LIMIT = { limit: 120, ttl: 60_000 };

@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly deck: DeckHealthIndicator,
    private readonly catchUp: CatchUpHealthIndicator,
  ) {}

  /**
   * 200 when the database, Deck, our webhook destination, catch-up and
   * reconciliation are all fine; 503 naming what is not. Deck's answers are shared for a few seconds.
   */
  @Public()
  @Throttle({ default: HEALTH_LIMIT })
  @Get()
  @HealthCheck()
  @UseFilters(HealthUnavailableFilter)
  check(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1000 }),
      () => this.deck.reachable('deck'),
      () => this.deck.destinationActive('webhook_destination'),
      () => this.catchUp.recent('catch_up'),
      () => this.catchUp.reconciled('reconciliation'),
    ]);
  }
}
