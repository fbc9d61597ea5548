import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { TaskRun } from '../task-runs/task-run.entity';
import { TaskRunsModule } from '../task-runs/task-runs.module';
import { Session } from './session.entity';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [TypeOrmModule.forFeature([Session, TaskRun]), TaskRunsModule],
  controllers: [SessionsController],
  providers: [SessionsService],
})
export class SessionsModule {}
