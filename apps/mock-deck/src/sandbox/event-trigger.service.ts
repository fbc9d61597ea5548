import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

import { DeckEvent, ID_PREFIX } from '@app/deck';

import { Agent } from '../agents/agent.entity';
import { AgentsService } from '../agents/agents.service';
import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { Credential } from '../credentials/credential.entity';
import { toDeckCredential } from '../credentials/credentials.service';
import { Transactor } from '@app/sqlite';
import { EventDestination } from '../event-destinations/event-destination.entity';
import { toDeckEventDestination } from '../event-destinations/event-destinations.service';
import { EventsService } from '../events/events.service';
import { Session } from '../sessions/session.entity';
import { toDeckSession } from '../sessions/session.view';
import { Source } from '../sources/source.entity';
import { toDeckSource } from '../sources/sources.service';
import { StorageItem } from '../storage/storage-item.entity';
import { toDeckStorageItem } from '../storage/storage.service';
import { Task } from '../tasks/task.entity';
import { toDeckTask } from '../tasks/tasks.service';
import { TaskRun } from '../task-runs/task-run.entity';
import { taskRunEventData } from '../task-runs/task-run.view';
import { TriggerEventDto } from './dto/trigger-event.dto';

type Snapshot = (manager: EntityManager, orgId: string, id: string | null) => Promise<Record<string, unknown> | null>;

/** The objects events are about: the part of an event type before the dot. */
type EventObjectKind =
  'agent' | 'source' | 'credential' | 'session' | 'task' | 'task_run' | 'storage' | 'event_destination';

/**
 * Sends any event type with a custom payload for a chosen object, as
 * `stripe trigger` does: the payload starts as the object's snapshot and
 * `data` replaces its top-level fields. Nothing else changes.
 */
@Injectable()
export class EventTriggerService {
  constructor(
    private readonly agents: AgentsService,
    private readonly events: EventsService,
    private readonly transactor: Transactor,
    private readonly clock: SandboxClock,
  ) {}

  trigger(orgId: string, dto: TriggerEventDto): Promise<DeckEvent> {
    const kind = dto.type.split('.')[0] as EventObjectKind;
    const field = dto.credential_id !== undefined ? 'credential_id' : 'object_id';
    const objectId = dto.credential_id ?? dto.object_id ?? null;
    if (objectId !== null && !objectId.startsWith(ID_PREFIX[kind])) {
      throw new DeckError(
        'input_invalid',
        `A \`${dto.type}\` event is about a ${kind} (\`${ID_PREFIX[kind]}…\`).`,
        field,
      );
    }
    return this.transactor.run(async (manager) => {
      const snapshot = await this.snapshots[kind](manager, orgId, objectId);
      if (!snapshot) {
        throw objectId === null
          ? new DeckError(
              'input_missing',
              `No ${kind} exists in this organisation yet; create one or pass \`object_id\`.`,
              'object_id',
            )
          : new DeckError('input_invalid', `No ${kind} with id \`${objectId}\` exists.`, field);
      }
      const data = { ...snapshot, ...(dto.data ?? {}) };
      const row = await this.events.record(manager, orgId, dto.type, String(snapshot.id), data);
      return this.events.toEvent(row);
    });
  }

  /** The object's event snapshot, by id or the organisation's newest of its kind. */
  private readonly snapshots: Record<EventObjectKind, Snapshot> = {
    agent: async (manager, orgId, id) => {
      const agent = await this.newest(manager, Agent, orgId, id);
      return agent ? { ...(await this.agents.get(orgId, agent.id)) } : null;
    },
    source: async (manager, orgId, id) => this.view(await this.newest(manager, Source, orgId, id), toDeckSource),
    credential: async (manager, orgId, id) =>
      this.view(await this.newest(manager, Credential, orgId, id), toDeckCredential),
    task: async (manager, orgId, id) => this.view(await this.newest(manager, Task, orgId, id), toDeckTask),
    task_run: async (manager, orgId, id) => this.view(await this.newest(manager, TaskRun, orgId, id), taskRunEventData),
    storage: async (manager, orgId, id) =>
      this.view(await this.newest(manager, StorageItem, orgId, id), toDeckStorageItem),
    event_destination: async (manager, orgId, id) =>
      this.view(await this.newest(manager, EventDestination, orgId, id), toDeckEventDestination),
    session: async (manager, orgId, id) => {
      const session = await this.newest(manager, Session, orgId, id);
      if (!session) {
        return null;
      }
      const runs = await manager.find(TaskRun, { where: { session_id: session.id }, order: { seq: 'ASC' } });
      return { ...toDeckSession(session, runs, this.clock.nowMs()) };
    },
  };

  private newest<T extends { seq: number; id: string; org_id: string }>(
    manager: EntityManager,
    entity: new () => T,
    orgId: string,
    id: string | null,
  ): Promise<T | null> {
    const qb = manager.createQueryBuilder(entity, 'o').where('o.org_id = :orgId', { orgId });
    if (id !== null) {
      qb.andWhere('o.id = :id', { id });
    }
    return qb.orderBy('o.seq', 'DESC').getOne();
  }

  private view<T>(row: T | null, toView: (row: T) => object): Record<string, unknown> | null {
    return row ? { ...toView(row) } : null;
  }
}
