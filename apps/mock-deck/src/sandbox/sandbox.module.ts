import { Module } from '@nestjs/common';

import { AgentsModule } from '../agents/agents.module';
import { CredentialsModule } from '../credentials/credentials.module';
import { SandboxDeliveriesModule } from '../sandbox-deliveries/sandbox-deliveries.module';
import { ScenariosModule } from '../scenarios/scenarios.module';
import { TaskRunsModule } from '../task-runs/task-runs.module';
import { ClockController } from './clock.controller';
import { EventTriggerService } from './event-trigger.service';
import { OrganizationResetService } from './organization-reset.service';
import { SandboxActionsService } from './sandbox-actions.service';
import { SandboxController } from './sandbox.controller';
import { ScenariosController } from './scenarios.controller';

/** The control plane at /sandbox: never under /v2, same API key, same organisation. */
@Module({
  imports: [AgentsModule, CredentialsModule, ScenariosModule, TaskRunsModule, SandboxDeliveriesModule],
  controllers: [SandboxController, ClockController, ScenariosController],
  providers: [OrganizationResetService, EventTriggerService, SandboxActionsService],
})
export class SandboxModule {}
