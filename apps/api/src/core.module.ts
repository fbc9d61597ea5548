import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { Reader, Transactor } from '@app/sqlite';

import { AuditEntryRow } from './audit/audit-entry.entity';
import { AuditLogService } from './audit/audit-log.service';
import { AuditService } from './audit/audit.service';
import { Clock } from './common/clock';
import { DeckClient } from './deck/deck-client.service';

/**
 * The seams every feature uses: clock, write queue, read connection, the audit log (its writer and reader)
 * and the Deck client.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntryRow])],
  providers: [Clock, Transactor, Reader, AuditService, AuditLogService, DeckClient],
  exports: [Clock, Transactor, Reader, AuditService, AuditLogService, DeckClient],
})
export class CoreModule {}
