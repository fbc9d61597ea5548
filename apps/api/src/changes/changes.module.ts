import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { ChangeRow } from './change.entity';
import { ChangesService } from './changes.service';
import { LivePublisher } from './live-publisher';

/**
 * The numbered change log: the mirror appends to it in its own transaction,
 * the publisher hands committed changes on, and the backlog is read from it.
 */
@Module({
  imports: [TypeOrmModule.forFeature([ChangeRow])],
  providers: [ChangesService, LivePublisher],
  exports: [ChangesService, LivePublisher],
})
export class ChangesModule {}
