import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { OperatorsController } from './operators.controller';
import { OperatorsService } from './operators.service';

/** Admin-only: operator accounts (AuthModule's) and the audit log (CoreModule's). */
@Module({
  imports: [AuthModule],
  controllers: [OperatorsController],
  providers: [OperatorsService],
})
export class OperatorsModule {}
