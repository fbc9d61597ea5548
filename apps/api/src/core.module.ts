import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { Transactor } from '@app/sqlite';

import { AuditEntryRow } from './audit/audit-entry.entity';
import { AuditService } from './audit/audit.service';
import { Clock } from './common/clock';
import { DeckClient } from './deck/deck-client.service';

/** The seams every feature uses: clock, write queue, audit log and the Deck client. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntryRow])],
  providers: [Clock, Transactor, AuditService, DeckClient],
  exports: [Clock, Transactor, AuditService, DeckClient],
})
export class CoreModule {}
