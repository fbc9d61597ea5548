import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AuditEntryRow } from '../audit/audit-entry.entity';
import { OperatorSessionRow } from '../auth/operator-session.entity';
import { OperatorRow } from '../auth/operator.entity';
import { AuditLogService } from './audit-log.service';
import { OperatorsController } from './operators.controller';
import { OperatorsService } from './operators.service';

/** Admin-only: operator accounts and the audit log. */
@Module({
  imports: [TypeOrmModule.forFeature([OperatorRow, OperatorSessionRow, AuditEntryRow])],
  controllers: [OperatorsController],
  providers: [OperatorsService, AuditLogService],
})
export class OperatorsModule {}
