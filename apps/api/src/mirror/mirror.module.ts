import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { CredentialRow } from '../credentials/credential.entity';
import { InteractionRow } from '../interactions/interaction.entity';
import { ChangeRow } from '../live/change.entity';
import { LivePublisher } from '../live/live-publisher';
import { TaskRunRow } from '../task-runs/task-run.entity';
import { MirrorService } from './mirror.service';

/** The local mirror: its tables, the projection that writes them, and the publisher of committed changes. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([CredentialRow, TaskRunRow, InteractionRow, ChangeRow])],
  providers: [MirrorService, LivePublisher],
  exports: [MirrorService, LivePublisher, TypeOrmModule],
})
export class MirrorModule {}
