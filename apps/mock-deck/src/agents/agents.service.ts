import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Repository } from 'typeorm';

import type { DeckAgent, DeckDeleted, DeckList } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { IdGenerator } from '../common/ids';
import { paginate } from '../common/pagination';
import { ListQueryDto } from '../common/query-transforms';
import { Transactor } from '@app/sqlite';
import { EventsService } from '../events/events.service';
import { Task } from '../tasks/task.entity';
import { Agent } from './agent.entity';
import { CreateAgentDto } from './dto/create-agent.dto';
import { UpdateAgentDto } from './dto/update-agent.dto';

@Injectable()
export class AgentsService {
  constructor(
    @InjectRepository(Agent) private readonly agents: Repository<Agent>,
    private readonly transactor: Transactor,
    private readonly events: EventsService,
    private readonly clock: SandboxClock,
    private readonly ids: IdGenerator,
  ) {}

  async create(orgId: string, dto: CreateAgentDto): Promise<DeckAgent> {
    return this.transactor.run(async (manager) => {
      const now = this.clock.now().toISOString();
      const agent = manager.create(Agent, {
        id: this.ids.newId('agent'),
        org_id: orgId,
        name: dto.name,
        description: dto.description ?? null,
        deleted_at: null,
        created_at: now,
        updated_at: now,
      });
      await manager.save(agent);
      const view = await this.toView(agent, manager);
      await this.events.record(manager, orgId, 'agent.created', agent.id, { ...view });
      return view;
    });
  }

  async list(orgId: string, query: ListQueryDto): Promise<DeckList<DeckAgent>> {
    const qb = this.agents.createQueryBuilder('a').where('a.org_id = :orgId AND a.deleted_at IS NULL', { orgId });
    const page = await paginate(qb, query, ['agents']);
    return { ...page, data: await Promise.all(page.data.map((a) => this.toView(a))) };
  }

  async get(orgId: string, id: string): Promise<DeckAgent> {
    return this.toView(await this.find(this.agents.manager, orgId, id));
  }

  async update(orgId: string, id: string, dto: UpdateAgentDto): Promise<DeckAgent> {
    return this.transactor.run(async (manager) => {
      const agent = await this.find(manager, orgId, id);
      if (dto.name !== undefined) {
        agent.name = dto.name;
      }
      if (dto.description !== undefined) {
        agent.description = dto.description;
      }
      agent.updated_at = this.clock.now().toISOString();
      await manager.save(agent);
      const view = await this.toView(agent, manager);
      await this.events.record(manager, orgId, 'agent.updated', agent.id, { ...view });
      return view;
    });
  }

  async remove(orgId: string, id: string): Promise<DeckDeleted> {
    return this.transactor.run(async (manager) => {
      const agent = await this.find(manager, orgId, id);
      agent.deleted_at = agent.updated_at = this.clock.now().toISOString();
      await manager.save(agent);
      await this.events.record(manager, orgId, 'agent.deleted', agent.id, {
        id: agent.id,
        object: 'agent',
        deleted: true,
      });
      return { id: agent.id, object: 'agent', deleted: true };
    });
  }

  /** An agent that exists and is not deleted, or 404 naming `field` when the id came from a body. */
  async find(manager: EntityManager, orgId: string, id: string, field?: string): Promise<Agent> {
    const agent = await manager.findOneBy(Agent, { org_id: orgId, id, deleted_at: IsNull() });
    if (!agent) {
      throw DeckError.notFound('agent_not_found', 'agent', id, field);
    }
    return agent;
  }

  private async toView(agent: Agent, manager: EntityManager = this.agents.manager): Promise<DeckAgent> {
    const tasks = await manager.find(Task, {
      where: { org_id: agent.org_id, agent_id: agent.id, deleted_at: IsNull() },
      order: { seq: 'DESC' },
    });
    return {
      id: agent.id,
      object: 'agent',
      name: agent.name,
      description: agent.description,
      tasks: tasks.map((t) => ({ id: t.id, object: 'task', name: t.name, status: t.status })),
      created_at: agent.created_at,
      updated_at: agent.updated_at,
    };
  }
}
