import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { ChangesModule } from '../changes/changes.module';
import { MirrorModule } from '../mirror/mirror.module';
import { LiveFeed } from './live-feed';
import { LiveHandshakeAuth } from './live-handshake';
import { LiveGateway } from './live.gateway';
import { LiveService } from './live.service';

/** socket.io live updates on /live, fed by the change publisher and replayed from the change log. */
@Module({
  imports: [AuthModule, ChangesModule, MirrorModule],
  providers: [LiveGateway, LiveFeed, LiveHandshakeAuth, LiveService],
  exports: [LiveService],
})
export class LiveModule {}
