import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuthModule } from '../auth/auth.module';
import { CredentialRow } from '../credentials/credential.entity';
import { ChangeRow } from './change.entity';
import { LiveFeed } from './live-feed';
import { LiveHandshakeAuth } from './live-handshake';
import { LiveGateway } from './live.gateway';
import { LiveService } from './live.service';

/** socket.io live updates on /live, fed by LivePublisher (MirrorModule) and replayed from the change log. */
@Module({
  imports: [AuthModule, TypeOrmModule.forFeature([ChangeRow, CredentialRow])],
  providers: [LiveGateway, LiveFeed, LiveHandshakeAuth, LiveService],
  exports: [LiveService],
})
export class LiveModule {}
