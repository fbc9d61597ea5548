import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import { ALL_EVENTS, DeckEvent, DeckList, EventType } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { IdGenerator } from '../common/ids';
import { paginate } from '../common/pagination';
import { EventDelivery } from '../event-destinations/event-delivery.entity';
import { EventDestination } from '../event-destinations/event-destination.entity';
import { Scheduler } from '../scheduler/scheduler.service';
import { DELIVERY_WORK } from '../webhook-sender/delivery-schedule';
import { ListEventsQueryDto } from './dto/list-events-query.dto';
import { eventCreatedAt, latenessMs } from './event-stamp';
import { DeckEventRow } from './event.entity';

/**
 * The event store. Every state change calls `record` inside its own
 * transaction, so the change, its event and the event's deliveries commit
 * together or not at all. Lists are newest first by `created_at`, then by
 * commit order, which is the same order unless `late_events` is on.
 */
@Injectable()
export class EventsService {
  constructor(
    @InjectRepository(DeckEventRow) private readonly events: Repository<DeckEventRow>,
    private readonly clock: SandboxClock,
    private readonly ids: IdGenerator,
    private readonly scheduler: Scheduler,
  ) {}

  async record(
    manager: EntityManager,
    orgId: string,
    type: EventType,
    objectId: string,
    data: Record<string, unknown>,
  ): Promise<DeckEventRow> {
    const nowMs = this.clock.nowMs();
    const destinations = await manager
      .createQueryBuilder(EventDestination, 'd')
      .where('d.org_id = :orgId AND d.deleted_at IS NULL', { orgId })
      .getMany();
    const createdAt = await eventCreatedAt(manager, orgId, objectId, nowMs, latenessMs(destinations));
    // Made with its event, so no earlier; only a late event is older than its deliveries (the attempts log says so).
    const now = new Date(nowMs).toISOString();
    const deliveredFrom = createdAt > now ? createdAt : now;
    const row = manager.create(DeckEventRow, {
      id: this.ids.newId('event'),
      org_id: orgId,
      type,
      object_id: objectId,
      data,
      created_at: createdAt,
      updated_at: createdAt,
    });
    await manager.save(row);

    const subscribed = destinations.filter(
      (d) => d.status === 'active' && (d.events.includes(ALL_EVENTS) || d.events.includes(type)),
    );
    if (subscribed.length > 0) {
      await manager.insert(
        EventDelivery,
        subscribed.map((d) => ({
          id: this.ids.newId('event_delivery'),
          org_id: orgId,
          event_id: row.id,
          event_type: type,
          event_destination_id: d.id,
          status: 'pending' as const,
          attempts: 0,
          delivered_at: null,
          next_attempt_at: nowMs,
          created_at: deliveredFrom,
          updated_at: deliveredFrom,
        })),
      );
      // Only the dispatcher has work in a new delivery; its pass starts once this transaction commits.
      this.scheduler.wakeWork(DELIVERY_WORK);
    }
    return row;
  }

  async list(orgId: string, query: ListEventsQueryDto): Promise<DeckList<DeckEvent>> {
    const qb = this.events.createQueryBuilder('e').where('e.org_id = :orgId', { orgId });
    if (query.type?.length) {
      qb.andWhere('e.type IN (:...types)', { types: query.type });
    }
    if (query.created_after) {
      qb.andWhere('e.created_at > :after', { after: new Date(query.created_after).toISOString() });
    }
    if (query.created_before) {
      qb.andWhere('e.created_at < :before', { before: new Date(query.created_before).toISOString() });
    }
    const page = await paginate(qb, query, ['events', query.type, query.created_after, query.created_before], {
      byCreatedAt: true,
    });
    return { ...page, data: page.data.map((row) => this.toEvent(row)) };
  }

  async get(orgId: string, id: string): Promise<DeckEvent> {
    const row = await this.events.findOneBy({ org_id: orgId, id });
    if (!row) {
      throw DeckError.notFound('event_not_found', 'event', id);
    }
    return this.toEvent(row);
  }

  toEvent(row: DeckEventRow): DeckEvent {
    return { id: row.id, object: 'event', type: row.type, data: row.data, created_at: row.created_at };
  }
}
