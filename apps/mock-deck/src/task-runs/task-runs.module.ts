import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';

import { CredentialsModule } from '../credentials/credentials.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { Session } from '../sessions/session.entity';
import { SourcesModule } from '../sources/sources.module';
import { StorageModule } from '../storage/storage.module';
import { TasksModule } from '../tasks/tasks.module';
import { RunEngine } from './engine/run-engine.service';
import { RunStates } from './run-states.service';
import { TaskRun } from './task-run.entity';
import { TaskRunsController } from './task-runs.controller';
import { TaskRunsService } from './task-runs.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([TaskRun, Session]),
    TasksModule,
    CredentialsModule,
    SourcesModule,
    StorageModule,
    ScenariosModule,
  ],
  controllers: [TaskRunsController],
  providers: [TaskRunsService, RunStates, RunEngine],
  exports: [TaskRunsService, RunStates, RunEngine],
})
export class TaskRunsModule {}
