import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { ChangesModule } from '../changes/changes.module';
import { MirrorModule } from '../mirror/mirror.module';
import { SettingsModule } from '../settings/settings.module';
import { CatchUpService } from './catch-up.service';
import { DestinationWatch } from './destination-watch.service';
import { InboxService } from './inbox.service';
import { ReceivedEventRow } from './received-event.entity';
import { ReceivedEventsController } from './received-events.controller';
import { ReceivedEventsService } from './received-events.service';
import { ReconciliationService } from './reconciliation.service';
import { WebhookRegistration } from './webhook-registration.service';
import { WebhookSecrets } from './webhook-secrets';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';

/**
 * Deck's events into the mirror: the signed webhook inbox, the api's own
 * destination at the sandbox, catch-up from GET /v2/events, reconciliation of
 * what is still open against Deck's objects, the destination watch, and the
 * operators' event log. Health reads the status of each.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ReceivedEventRow]), MirrorModule, ChangesModule, SettingsModule],
  controllers: [WebhooksController, ReceivedEventsController],
  providers: [
    WebhookSecrets,
    WebhooksService,
    InboxService,
    WebhookRegistration,
    CatchUpService,
    ReconciliationService,
    DestinationWatch,
    ReceivedEventsService,
  ],
  exports: [
    WebhookRegistration,
    CatchUpService,
    ReconciliationService,
    DestinationWatch,
    InboxService,
    ReceivedEventsService,
  ],
})
export class WebhooksModule {}
