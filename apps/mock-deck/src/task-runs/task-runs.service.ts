import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Not, Repository } from 'typeorm';

import { DeckList, DeckTaskRun } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { IdGenerator } from '../common/ids';
import { JsonSchemaValidator } from '../common/json-schema';
import { paginate } from '../common/pagination';
import { Credential } from '../credentials/credential.entity';
import { CredentialsService } from '../credentials/credentials.service';
import { Transactor } from '@app/sqlite';
import { Scheduler } from '../scheduler/scheduler.service';
import { Session } from '../sessions/session.entity';
import { SourcesService } from '../sources/sources.service';
import { StorageService } from '../storage/storage.service';
import { TasksService } from '../tasks/tasks.service';
import { GetTaskRunQueryDto } from './dto/get-task-run-query.dto';
import { ListTaskRunsQueryDto } from './dto/list-task-runs-query.dto';
import { RunTaskDto } from './dto/run-task.dto';
import { SubmitInteractionDto } from './dto/submit-interaction.dto';
import { RunEngine } from './engine/run-engine.service';
import { CANCELLABLE, RunStates, SESSION_RELEASED } from './run-states.service';
import { TaskRun } from './task-run.entity';
import { toDeckTaskRun } from './task-run.view';

@Injectable()
export class TaskRunsService {
  constructor(
    @InjectRepository(TaskRun) private readonly runs: Repository<TaskRun>,
    private readonly tasks: TasksService,
    private readonly credentials: CredentialsService,
    private readonly sources: SourcesService,
    private readonly storage: StorageService,
    private readonly states: RunStates,
    private readonly engine: RunEngine,
    private readonly schemas: JsonSchemaValidator,
    private readonly transactor: Transactor,
    private readonly scheduler: Scheduler,
    private readonly clock: SandboxClock,
    private readonly ids: IdGenerator,
  ) {}

  create(orgId: string, taskId: string, dto: RunTaskDto): Promise<DeckTaskRun> {
    return this.transactor.run(async (manager) => {
      const task = await this.tasks.find(manager, orgId, taskId);
      if (!dto.credential_id && !dto.source_id) {
        throw new DeckError(
          'input_missing',
          'Provide a `credential_id` or a `source_id` to run the task against.',
          'credential_id',
        );
      }
      let credential: Credential | null = null;
      let sourceId = dto.source_id ?? null;
      if (dto.credential_id) {
        credential = await this.credentials.find(manager, orgId, dto.credential_id, 'credential_id');
        if (credential.status === 'deleted') {
          throw new DeckError('invalid_state', 'A deleted credential cannot be used for new runs.', 'credential_id');
        }
        if (sourceId !== null && sourceId !== credential.source_id) {
          throw new DeckError('input_invalid', "`source_id` does not match the credential's source.", 'source_id');
        }
        sourceId = credential.source_id;
      } else if (sourceId !== null) {
        await this.sources.find(manager, orgId, sourceId, 'source_id');
      }
      if (task.input_schema) {
        this.schemas.assertValid(task.input_schema, dto.input === undefined ? {} : dto.input, 'input');
      }
      const session = dto.session_id
        ? await this.reusableSession(manager, orgId, dto.session_id)
        : await this.states.openSession(manager, orgId);

      const now = this.clock.now();
      const run = manager.create(TaskRun, {
        id: this.ids.newId('task_run'),
        org_id: orgId,
        status: 'queued',
        result: null,
        task_id: task.id,
        credential_id: credential?.id ?? null,
        session_id: session.id,
        agent_id: task.agent_id,
        source_id: sourceId,
        runtime_ms: 0,
        input: dto.input ?? null,
        output: null,
        errors: [],
        interaction: null,
        started_at: null,
        canceled_at: null,
        client_request_id: dto.request_id ?? null,
        progress: await this.engine.plan(manager, credential, task, now.getTime()),
        next_step_at: now.getTime() + this.engine.queueDelayMs(),
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      });
      await manager.save(run);
      await this.states.move(manager, run, 'queued');
      this.scheduler.wakeBy(run.next_step_at ?? now.getTime());
      return toDeckTaskRun(run);
    });
  }

  async list(orgId: string, query: ListTaskRunsQueryDto): Promise<DeckList<DeckTaskRun>> {
    const qb = this.runs.createQueryBuilder('r').where('r.org_id = :orgId', { orgId });
    if (query.status?.length) {
      // Either spelling of the cancelling status finds runs stored with the other.
      const cancelling = query.status.some((s) => s === 'cancelling' || s === 'canceling');
      const statuses = cancelling ? [...query.status, 'cancelling', 'canceling'] : query.status;
      qb.andWhere('r.status IN (:...statuses)', { statuses });
    }
    if (query.source_id?.length) {
      qb.andWhere('r.source_id IN (:...sourceIds)', { sourceIds: query.source_id });
    }
    const results = [...(query.outcome ?? []), ...(query.result ?? [])];
    if (results.length) {
      qb.andWhere('r.result IN (:...results)', { results });
    }
    for (const field of ['agent_id', 'credential_id', 'task_id'] as const) {
      if (query[field] !== undefined) {
        qb.andWhere(`r.${field} = :${field}`, { [field]: query[field] });
      }
    }
    if (query.workflow_id !== undefined) {
      qb.andWhere('1 = 0');
    }
    if (query.created_after) {
      qb.andWhere('r.created_at > :after', { after: new Date(query.created_after).toISOString() });
    }
    if (query.created_before) {
      qb.andWhere('r.created_at < :before', { before: new Date(query.created_before).toISOString() });
    }
    const { limit: _l, cursor: _c, starting_after: _s, ending_before: _e, ...filters } = query;
    const page = await paginate(qb, query, ['task-runs', filters]);
    return { ...page, data: page.data.map((run) => toDeckTaskRun(run)) };
  }

  async get(orgId: string, id: string, query: GetTaskRunQueryDto): Promise<DeckTaskRun> {
    const run = await this.find(this.runs.manager, orgId, id);
    const include = query.include ?? [];
    const storage = include.includes('storage') ? await this.storage.allForRun(run.id) : [];
    return toDeckTaskRun(run, include, storage);
  }

  submitInteraction(orgId: string, id: string, dto: SubmitInteractionDto): Promise<DeckTaskRun> {
    const input = dto.input ?? dto.inputs;
    if (input === undefined) {
      throw new DeckError('input_missing', '`input` is required and cannot be empty.', 'input');
    }
    return this.transactor.run(async (manager) => {
      const run = await this.find(manager, orgId, id);
      if (run.status !== 'interaction_required' || !run.interaction) {
        throw DeckError.invalidState(`The task run is \`${run.status}\`; it is not waiting for an interaction.`);
      }
      const expected = run.interaction.fields.map((f) => f.name);
      const problems = [
        ...expected
          .filter((name) => typeof input[name] !== 'string' || input[name].trim() === '')
          .map((name) =>
            input[name] === undefined || input[name] === ''
              ? { code: 'input_missing' as const, field: `input.${name}`, message: `\`input.${name}\` is required.` }
              : {
                  code: 'input_invalid' as const,
                  field: `input.${name}`,
                  message: `\`input.${name}\` must be a non-empty string.`,
                },
          ),
        ...Object.keys(input)
          .filter((name) => !expected.includes(name))
          .map((name) => ({
            code: 'input_invalid' as const,
            field: `input.${name}`,
            message: `\`input.${name}\` is not a field of this interaction.`,
          })),
      ];
      if (problems.length > 0) {
        throw new DeckError(problems);
      }
      await this.engine.acceptAnswer(manager, run, input as Record<string, string>);
      this.scheduler.wake();
      return toDeckTaskRun(run);
    });
  }

  cancel(orgId: string, id: string): Promise<DeckTaskRun> {
    return this.transactor.run(async (manager) => {
      const run = await this.find(manager, orgId, id);
      if (run.status === 'cancelling' || run.status === 'canceling') {
        return toDeckTaskRun(run);
      }
      if (!CANCELLABLE.includes(run.status)) {
        throw DeckError.invalidState(`The task run is \`${run.status}\` and can no longer be cancelled.`);
      }
      await this.engine.beginCancel(manager, run);
      this.scheduler.wake();
      return toDeckTaskRun(run);
    });
  }

  async find(manager: EntityManager, orgId: string, id: string): Promise<TaskRun> {
    const run = await manager.findOneBy(TaskRun, { org_id: orgId, id });
    if (!run) {
      throw DeckError.notFound('task_run_not_found', 'task run', id);
    }
    return run;
  }

  private async reusableSession(manager: EntityManager, orgId: string, sessionId: string): Promise<Session> {
    const session = await manager.findOneBy(Session, { org_id: orgId, id: sessionId });
    if (!session) {
      throw DeckError.notFound('session_not_found', 'session', sessionId, 'session_id');
    }
    if (!['queued', 'running', 'idle'].includes(session.status)) {
      throw new DeckError(
        'invalid_state',
        `The session is \`${session.status}\` and cannot run more tasks.`,
        'session_id',
      );
    }
    const busy = await manager.existsBy(TaskRun, {
      session_id: session.id,
      status: Not(In([...SESSION_RELEASED])),
    });
    if (busy) {
      throw new DeckError('invalid_state', 'The session is busy with another task run.', 'session_id');
    }
    return session;
  }
}
