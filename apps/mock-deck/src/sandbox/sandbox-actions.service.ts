import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { IsNull } from 'typeorm';

import type { DeckCredential, DeckTaskRun, ForcedStatus } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { parseDuration } from '../common/duration';
import { CredentialsService, toDeckCredential } from '../credentials/credentials.service';
import { Transactor } from '@app/sqlite';
import { SEED_TASK_NAME } from '../orgs/org-seed';
import { ScenariosService } from '../scenarios/scenarios.service';
import { Scheduler } from '../scheduler/scheduler.service';
import { EventDestination } from '../event-destinations/event-destination.entity';
import { SandboxDeliveriesService } from '../sandbox-deliveries/sandbox-deliveries.service';
import { Source } from '../sources/source.entity';
import { Task } from '../tasks/task.entity';
import { RunEngine } from '../task-runs/engine/run-engine.service';
import { TaskRunsService } from '../task-runs/task-runs.service';
import { toDeckTaskRun } from '../task-runs/task-run.view';
import { ForceCredentialStatusDto } from './dto/force-credential-status.dto';
import { RunScenarioDto } from './dto/run-scenario.dto';

/** What QA does to Deck objects that Deck itself offers no call for. */
@Injectable()
export class SandboxActionsService {
  constructor(
    private readonly credentials: CredentialsService,
    private readonly runs: TaskRunsService,
    private readonly engine: RunEngine,
    private readonly scenarios: ScenariosService,
    private readonly deliveries: SandboxDeliveriesService,
    private readonly transactor: Transactor,
    private readonly scheduler: Scheduler,
    private readonly clock: SandboxClock,
  ) {}

  /** Moves a credential to a status now, or plans it for later (a good credential that breaks in three days). */
  forceCredentialStatus(orgId: string, id: string, dto: ForceCredentialStatusDto): Promise<ForcedStatus> {
    return this.transactor.run(async (manager) => {
      const credential = await this.credentials.find(manager, orgId, id);
      if (credential.status === 'deleted') {
        throw DeckError.invalidState('A deleted credential keeps its status.');
      }
      if (dto.after === undefined) {
        return {
          object: 'credential_status',
          credential: await this.credentials.setStatus(manager, credential, dto.status),
          scheduled: null,
        };
      }
      const at = this.clock.nowMs() + (parseDuration(dto.after) ?? 0);
      await this.credentials.scheduleStatus(manager, credential.id, dto.status, at);
      return {
        object: 'credential_status',
        credential: toDeckCredential(credential),
        scheduled: { status: dto.status, at: new Date(at).toISOString() },
      };
    });
  }

  async decideReview(orgId: string, id: string, approve: boolean): Promise<DeckTaskRun> {
    const run = await this.transactor.run(async (manager) => {
      const found = await this.runs.find(manager, orgId, id);
      if (found.status !== 'review_required') {
        throw DeckError.invalidState(
          `The task run is \`${found.status}\`; only a run in review_required can be decided.`,
        );
      }
      await this.engine.decideReview(manager, found, approve);
      return found;
    });
    this.scheduler.wake();
    return toDeckTaskRun(run);
  }

  /**
   * Plays a scenario once: a new credential whose username names it, and a run
   * of the verification task. The password is random; nothing checks it.
   */
  async runScenario(
    orgId: string,
    name: string,
    dto: RunScenarioDto,
  ): Promise<{ object: 'scenario_run'; scenario: string; credential: DeckCredential; task_run: DeckTaskRun }> {
    const scenario = await this.scenarios.get(orgId, name);
    const { sourceId, taskId } = await this.transactor.run(async (manager) => {
      const source =
        dto.source_id ?? (await manager.findOne(Source, { where: { org_id: orgId }, order: { seq: 'ASC' } }))?.id;
      const task =
        dto.task_id ??
        (await manager.findOne(Task, { where: { org_id: orgId, name: SEED_TASK_NAME }, order: { seq: 'ASC' } }))?.id;
      if (!source || !task) {
        throw new DeckError(
          'input_missing',
          'No source or task to run with: pass `source_id` and `task_id`.',
          source ? 'task_id' : 'source_id',
        );
      }
      // The scenario's delivery faults go on every webhook destination, before its first event.
      const faults = scenario.spec.faults;
      if (faults) {
        const webhooks = await manager.findBy(EventDestination, {
          org_id: orgId,
          type: 'webhook',
          deleted_at: IsNull(),
        });
        for (const destination of webhooks) {
          await this.deliveries.applyFaults(manager, orgId, destination.id, faults);
        }
      }
      return { sourceId: source, taskId: task };
    });
    const credential = await this.credentials.create(orgId, {
      source_id: sourceId,
      auth_method: 'username_password',
      auth_credentials: { username: scenario.name, password: randomBytes(12).toString('base64url') },
      external_id: dto.external_id ?? null,
    });
    const run = await this.runs.create(orgId, taskId, { credential_id: credential.id });
    return { object: 'scenario_run', scenario: scenario.name, credential, task_run: run };
  }
}
