import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { ChangesModule } from '../changes/changes.module';
import { CredentialRow } from './credential.entity';
import { CredentialLists } from './credential-lists';
import { InteractionRow } from './interaction.entity';
import { MirrorRecords } from './mirror-records';
import { MirrorService } from './mirror.service';
import { TaskRunRow } from './task-run.entity';

/**
 * The local mirror of Deck's credentials, runs and prompts. It owns their
 * tables: the projection writes them in the caller's transaction (appending
 * to the change log), and other modules read them through its services.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CredentialRow, TaskRunRow, InteractionRow]), ChangesModule],
  providers: [MirrorService, MirrorRecords, CredentialLists],
  exports: [MirrorService, MirrorRecords, CredentialLists],
})
export class MirrorModule {}
