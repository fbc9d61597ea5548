import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { ChangeLog } from './change-log';
import { ChangeRow } from './change.entity';
import { ChangesService } from './changes.service';
import { LivePublisher } from './live-publisher';

/**
 * The numbered change log: the mirror appends to it (ChangeLog) in its own transaction,
 * the publisher hands committed changes on, and the backlog is read from it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ChangeRow])],
  providers: [ChangeLog, ChangesService, LivePublisher],
  exports: [ChangeLog, ChangesService, LivePublisher],
})
export class ChangesModule {}
