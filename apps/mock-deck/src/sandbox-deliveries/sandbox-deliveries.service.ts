import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';

import type {
  DeckEventDelivery,
  DeckList,
  DeliveryFaults,
  DestinationFaults,
  DestinationSecret,
  SandboxAttemptTail,
  SandboxDeliveryAttempt,
} from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { DeckError } from '../common/deck-error';
import { paginate } from '../common/pagination';
import { Transactor } from '@app/sqlite';
import { EventDelivery } from '../event-destinations/event-delivery.entity';
import { EventDestination } from '../event-destinations/event-destination.entity';
import { EventDestinationsService, toDeckEventDelivery } from '../event-destinations/event-destinations.service';
import { Scheduler } from '../scheduler/scheduler.service';
import { DeliveryAttempt } from '../webhook-sender/delivery-attempt.entity';
import { normalizeFaults } from '../webhook-sender/delivery-faults';
import { toSandboxDeliveryAttempt } from './delivery-attempt.view';
import { ListAttemptsQueryDto } from './dto/list-attempts-query.dto';
import { TailAttemptsQueryDto } from './dto/tail-attempts-query.dto';

const TAIL_LIMIT = 100;

/**
 * The delivery side of the control plane: a destination's secret and faults,
 * its attempts log, and redelivery. Everything is scoped to the caller's
 * organisation, like /v2.
 */
@Injectable()
export class SandboxDeliveriesService {
  constructor(
    @InjectRepository(DeliveryAttempt) private readonly attempts: Repository<DeliveryAttempt>,
    private readonly destinations: EventDestinationsService,
    private readonly transactor: Transactor,
    private readonly scheduler: Scheduler,
    private readonly clock: SandboxClock,
  ) {}

  /** The secrets signing now; the previous one is shown only while it still signs. */
  async secret(orgId: string, id: string): Promise<DestinationSecret> {
    const destination = await this.destinations.find(this.attempts.manager, orgId, id);
    const overlapping =
      destination.previous_secret !== null &&
      destination.previous_secret_expires_at !== null &&
      Date.parse(destination.previous_secret_expires_at) > this.clock.nowMs();
    return {
      id: destination.id,
      secret: destination.secret,
      previous_secret: overlapping ? destination.previous_secret : null,
      previous_secret_expires_at: overlapping ? destination.previous_secret_expires_at : null,
    };
  }

  async faults(orgId: string, id: string): Promise<DestinationFaults> {
    const destination = await this.destinations.find(this.attempts.manager, orgId, id);
    return { id: destination.id, faults: normalizeFaults(destination.faults) };
  }

  /** Replaces a destination's faults (null or `{}` clears them). */
  setFaults(orgId: string, id: string, faults: DeliveryFaults | null): Promise<DestinationFaults> {
    return this.transactor.run((manager) => this.applyFaults(manager, orgId, id, faults));
  }

  /**
   * The same inside a transaction the caller already holds (a scenario setting
   * faults along with the rest of its setup). Faults apply from the next send;
   * /v2 never shows them and `updated_at` does not move.
   */
  async applyFaults(
    manager: EntityManager,
    orgId: string,
    id: string,
    faults: DeliveryFaults | null,
  ): Promise<DestinationFaults> {
    const destination = await this.destinations.find(manager, orgId, id);
    if (destination.type !== 'webhook') {
      throw DeckError.invalidState(
        `Delivery faults apply to webhook destinations; this one is \`${destination.type}\`.`,
      );
    }
    destination.faults = normalizeFaults(faults);
    await manager.update(EventDestination, { id: destination.id }, { faults: destination.faults });
    return { id: destination.id, faults: destination.faults };
  }

  /** One destination's attempts, newest first, with Deck's paging. */
  async listAttempts(
    orgId: string,
    id: string,
    query: ListAttemptsQueryDto,
  ): Promise<DeckList<SandboxDeliveryAttempt>> {
    await this.destinations.find(this.attempts.manager, orgId, id);
    const qb = this.attempts
      .createQueryBuilder('a')
      .where('a.org_id = :orgId AND a.destination_id = :id', { orgId, id });
    if (query.delivery_id !== undefined) {
      qb.andWhere('a.delivery_id = :deliveryId', { deliveryId: query.delivery_id });
    }
    const page = await paginate(qb, query, ['delivery-attempts', id, query.delivery_id]);
    return { ...page, data: page.data.map(toSandboxDeliveryAttempt) };
  }

  /** The organisation's attempts after a `seq`, oldest first: poll with `after=next_after` to follow the log. */
  async tail(orgId: string, query: TailAttemptsQueryDto): Promise<SandboxAttemptTail> {
    const after = query.after ?? 0;
    const limit = query.limit ?? TAIL_LIMIT;
    const qb = this.attempts.createQueryBuilder('a').where('a.org_id = :orgId AND a.seq > :after', { orgId, after });
    if (query.destination_id !== undefined) {
      await this.destinations.find(this.attempts.manager, orgId, query.destination_id);
      qb.andWhere('a.destination_id = :destinationId', { destinationId: query.destination_id });
    }
    const rows = await qb
      .orderBy('a.seq', 'ASC')
      .limit(limit + 1)
      .getMany();
    const data = rows.slice(0, limit).map(toSandboxDeliveryAttempt);
    return { data, has_more: rows.length > limit, next_after: data.length > 0 ? data[data.length - 1].seq : after };
  }

  /**
   * Asks for the delivery's event to be sent again now, whatever its status.
   * The request is stored on the delivery (a restart keeps it) and sent in the
   * background; the answer is the delivery as it stands.
   */
  async redeliver(orgId: string, id: string): Promise<DeckEventDelivery> {
    const view = await this.transactor.run(async (manager) => {
      const delivery = await manager.findOneBy(EventDelivery, { org_id: orgId, id });
      if (!delivery) {
        throw DeckError.notFound('event_delivery_not_found', 'event delivery', id);
      }
      const destination = await manager.findOneBy(EventDestination, {
        org_id: orgId,
        id: delivery.event_destination_id,
      });
      if (!destination || destination.deleted_at) {
        throw DeckError.invalidState('The destination of this delivery has been deleted.');
      }
      if (destination.status !== 'active') {
        throw DeckError.invalidState(
          `The destination is \`${destination.status}\`; set its status to \`active\` to redeliver.`,
        );
      }
      if (destination.type !== 'webhook') {
        throw DeckError.invalidState('The sandbox sends webhook deliveries only.');
      }
      delivery.redeliver_at = this.clock.nowMs();
      await manager.update(EventDelivery, { id: delivery.id }, { redeliver_at: delivery.redeliver_at });
      return toDeckEventDelivery(delivery);
    });
    this.scheduler.wake();
    return view;
  }
}
