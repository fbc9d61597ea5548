import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { SettingsModule } from '../settings/settings.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CatchUpHealthIndicator } from './catch-up-health.indicator';
import { DeckHealthIndicator } from './deck-health.indicator';
import { HealthController } from './health.controller';

/** GET /health for monitors: database, Deck, webhook destination, catch-up lag, reconciliation. */
@Module({
  imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), SettingsModule, WebhooksModule],
  controllers: [HealthController],
  providers: [DeckHealthIndicator, CatchUpHealthIndicator],
})
export class HealthModule {}
