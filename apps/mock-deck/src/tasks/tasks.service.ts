import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';

import type { DeckDeleted, DeckList, DeckTask } from '@app/deck';

import { AgentsService } from '../agents/agents.service';
import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { IdGenerator } from '../common/ids';
import { JsonSchemaValidator } from '../common/json-schema';
import { paginate } from '../common/pagination';
import { Transactor } from '@app/sqlite';
import { EventsService } from '../events/events.service';
import { CreateTaskDto, TaskFieldsDto, UpdateTaskDto } from './dto/create-task.dto';
import { ListTasksQueryDto } from './dto/list-tasks-query.dto';
import { Task } from './task.entity';

export const DEFAULT_TASK_TIMEOUT_SECONDS = 30 * 60;

export function toDeckTask(task: Task): DeckTask {
  return {
    id: task.id,
    object: 'task',
    name: task.name,
    prompt: task.prompt,
    status: task.status,
    agent_id: task.agent_id,
    input_schema: task.input_schema,
    output_schema: task.output_schema,
    storage: task.storage,
    extraction: task.extraction,
    settings: { timeout_seconds: task.timeout_seconds },
    created_at: task.created_at,
    updated_at: task.updated_at,
  };
}

@Injectable()
export class TasksService {
  constructor(
    @InjectRepository(Task) private readonly tasks: Repository<Task>,
    private readonly agents: AgentsService,
    private readonly schemas: JsonSchemaValidator,
    private readonly transactor: Transactor,
    private readonly events: EventsService,
    private readonly clock: SandboxClock,
    private readonly ids: IdGenerator,
  ) {}

  create(orgId: string, dto: CreateTaskDto): Promise<DeckTask> {
    this.checkFields(dto);
    return this.transactor.run(async (manager) => {
      await this.agents.find(manager, orgId, dto.agent_id, 'agent_id');
      if (dto.id !== undefined && (await manager.existsBy(Task, { id: dto.id }))) {
        throw new DeckError('invalid_state', `A task with id \`${dto.id}\` already exists.`, 'id');
      }
      const now = this.clock.now().toISOString();
      const task = manager.create(Task, {
        id: dto.id ?? this.ids.newId('task'),
        org_id: orgId,
        name: dto.name,
        prompt: dto.prompt ?? null,
        status: 'learning',
        agent_id: dto.agent_id,
        input_schema: dto.input_schema ?? null,
        output_schema: dto.output_schema ?? null,
        storage: dto.storage ?? null,
        extraction: dto.extraction ?? false,
        timeout_seconds: dto.settings?.timeout_seconds ?? DEFAULT_TASK_TIMEOUT_SECONDS,
        deleted_at: null,
        created_at: now,
        updated_at: now,
      });
      await manager.save(task);
      const view = toDeckTask(task);
      await this.events.record(manager, orgId, 'task.created', task.id, { ...view });
      return view;
    });
  }

  async list(orgId: string, query: ListTasksQueryDto): Promise<DeckList<DeckTask>> {
    const qb = this.tasks.createQueryBuilder('t').where('t.org_id = :orgId AND t.deleted_at IS NULL', { orgId });
    if (query.agent_id !== undefined) {
      qb.andWhere('t.agent_id = :agentId', { agentId: query.agent_id });
    }
    if (query.status?.length) {
      qb.andWhere('t.status IN (:...statuses)', { statuses: query.status });
    }
    const page = await paginate(qb, query, ['tasks', query.agent_id, query.status]);
    return { ...page, data: page.data.map(toDeckTask) };
  }

  async get(orgId: string, id: string): Promise<DeckTask> {
    return toDeckTask(await this.find(this.tasks.manager, orgId, id));
  }

  update(orgId: string, id: string, dto: UpdateTaskDto): Promise<DeckTask> {
    this.checkFields(dto);
    return this.transactor.run(async (manager) => {
      const task = await this.find(manager, orgId, id);
      if (dto.agent_id !== undefined) {
        await this.agents.find(manager, orgId, dto.agent_id, 'agent_id');
        task.agent_id = dto.agent_id;
      }
      if (dto.name !== undefined) {
        task.name = dto.name;
      }
      if (dto.status !== undefined) {
        task.status = dto.status;
      }
      if (dto.prompt !== undefined) {
        task.prompt = dto.prompt;
      }
      if (dto.input_schema !== undefined) {
        task.input_schema = dto.input_schema;
      }
      if (dto.output_schema !== undefined) {
        task.output_schema = dto.output_schema;
      }
      if (dto.storage !== undefined) {
        task.storage = dto.storage;
      }
      if (dto.extraction !== undefined) {
        task.extraction = dto.extraction;
      }
      if (dto.settings?.timeout_seconds !== undefined) {
        task.timeout_seconds = dto.settings.timeout_seconds;
      }
      return this.saveWithEvent(manager, task, 'task.updated');
    });
  }

  remove(orgId: string, id: string): Promise<DeckDeleted> {
    return this.transactor.run(async (manager) => {
      const task = await this.find(manager, orgId, id);
      task.deleted_at = task.updated_at = this.clock.now().toISOString();
      await manager.save(task);
      await this.events.record(manager, orgId, 'task.deleted', task.id, { id: task.id, object: 'task', deleted: true });
      return { id: task.id, object: 'task', deleted: true };
    });
  }

  /** Forgets what the agent learned: the task starts `learning` again. */
  reset(orgId: string, id: string): Promise<DeckTask> {
    return this.transactor.run(async (manager) => {
      const task = await this.find(manager, orgId, id);
      task.status = 'learning';
      return this.saveWithEvent(manager, task, 'task.reset');
    });
  }

  async find(manager: EntityManager, orgId: string, id: string): Promise<Task> {
    const task = await manager.findOneBy(Task, { org_id: orgId, id, deleted_at: IsNull() });
    if (!task) {
      throw DeckError.notFound('task_not_found', 'task', id);
    }
    return task;
  }

  private async saveWithEvent(
    manager: EntityManager,
    task: Task,
    type: 'task.updated' | 'task.reset',
  ): Promise<DeckTask> {
    task.updated_at = this.clock.now().toISOString();
    await manager.save(task);
    const view = toDeckTask(task);
    await this.events.record(manager, task.org_id, type, task.id, { ...view });
    return view;
  }

  private checkFields(dto: TaskFieldsDto): void {
    for (const field of ['input_schema', 'output_schema'] as const) {
      if (dto[field]) {
        this.schemas.assertSchema(dto[field], field);
      }
    }
    if (dto.storage?.extraction && !dto.storage.extraction_schema) {
      throw new DeckError(
        'input_missing',
        '`storage.extraction_schema` is required when extraction is on.',
        'storage.extraction_schema',
      );
    }
  }
}
