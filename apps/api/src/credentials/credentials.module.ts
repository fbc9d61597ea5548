import { Module } from '@nestjs/common';

import { ChangesModule } from '../changes/changes.module';
import { DeckModule } from '../deck/deck.module';
import { LinksModule } from '../links/links.module';
import { MirrorModule } from '../mirror/mirror.module';
import { SandboxModule } from '../sandbox/sandbox.module';
import { SourcesModule } from '../sources/sources.module';
import { WebhooksModule } from '../webhooks/webhooks.module';
import { CredentialQueriesService } from './credential-queries.service';
import { CredentialsController } from './credentials.controller';
import { CredentialsService } from './credentials.service';
import { VerifyTask } from './verify-task';

/**
 * The credential flow end to end: connect links, Deck's sources, the
 * credentials themselves, and (against the sandbox) the control-plane
 * pass-through operators drive it with.
 */
@Module({
  imports: [MirrorModule, ChangesModule, DeckModule, LinksModule, SourcesModule, SandboxModule, WebhooksModule],
  controllers: [CredentialsController],
  providers: [CredentialsService, CredentialQueriesService, VerifyTask],
})
export class CredentialsModule {}
