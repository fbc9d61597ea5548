import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Webhook } from 'standardwebhooks';
import { EntityManager, LessThanOrEqual, Repository } from 'typeorm';

import { WEBHOOK_HEADERS } from '@app/deck';

import { SandboxClock } from '../common/clock';
import { Transactor } from '../database/transactor';
import { EventDelivery } from '../event-destinations/event-delivery.entity';
import { EventDestination } from '../event-destinations/event-destination.entity';
import { EventDestinationsService } from '../event-destinations/event-destinations.service';
import { DeckEventRow } from '../events/event.entity';
import { EventsService } from '../events/events.service';
import { ScheduledWork, Scheduler } from '../scheduler/scheduler.service';
import { DELIVERY_TIMEOUT_MS, IN_FLIGHT_LEASE_MS, RETRY_DELAYS_MS } from './delivery-schedule';

interface AttemptOutcome {
  ok: boolean;
}

/**
 * Delivers events to webhook destinations as Deck does: one signed POST per
 * event per destination, a 2xx within 5 s or it is retried, and after the last
 * retry the destination goes inactive. Sends run in the background, so a slow
 * receiver never holds up the scheduler, the API or other destinations.
 */
@Injectable()
export class WebhookDispatcher implements ScheduledWork, OnModuleInit {
  readonly name = 'webhook-deliveries';
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @InjectRepository(EventDelivery) private readonly deliveries: Repository<EventDelivery>,
    private readonly destinations: EventDestinationsService,
    private readonly events: EventsService,
    private readonly transactor: Transactor,
    private readonly scheduler: Scheduler,
    private readonly clock: SandboxClock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(this);
  }

  async runDue(nowMs: number): Promise<number | null> {
    const due = await this.deliveries.find({
      where: { status: 'pending', next_attempt_at: LessThanOrEqual(nowMs) },
      order: { next_attempt_at: 'ASC', seq: 'ASC' },
      take: 100,
    });
    for (const delivery of due) {
      const claimed = await this.claim(delivery.id, nowMs);
      if (claimed) {
        this.track(this.attempt(claimed));
      }
    }
    const next = await this.deliveries
      .createQueryBuilder('d')
      .select('MIN(d.next_attempt_at)', 'next')
      .where('d.status = :status', { status: 'pending' })
      .getRawOne<{ next: number | string | null }>();
    return next?.next === null || next?.next === undefined ? null : Number(next.next);
  }

  /** Waits for every send under way (used at shutdown and by tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private track(promise: Promise<void>): void {
    const tracked = promise
      .catch((error: unknown) => this.logger.error({ err: error }, 'Delivery attempt crashed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Takes the delivery for one attempt; a lease brings it back if the process dies mid-send. */
  private claim(id: string, nowMs: number): Promise<EventDelivery | null> {
    return this.transactor.run(async (manager) => {
      const delivery = await manager.findOneBy(EventDelivery, { id });
      if (
        !delivery ||
        delivery.status !== 'pending' ||
        delivery.next_attempt_at === null ||
        delivery.next_attempt_at > nowMs
      ) {
        return null;
      }
      delivery.next_attempt_at = nowMs + IN_FLIGHT_LEASE_MS * this.clock.getScale();
      await manager.save(delivery);
      return delivery;
    });
  }

  private async attempt(delivery: EventDelivery): Promise<void> {
    const destination = await this.deliveries.manager.findOneBy(EventDestination, {
      id: delivery.event_destination_id,
    });
    const event = await this.deliveries.manager.findOneBy(DeckEventRow, { id: delivery.event_id });
    if (
      !destination ||
      !event ||
      destination.deleted_at ||
      destination.status !== 'active' ||
      destination.type !== 'webhook'
    ) {
      await this.finish(delivery.id, { ok: false }, true);
      return;
    }
    const outcome = await this.send(destination, event);
    await this.finish(delivery.id, outcome, false);
  }

  private async send(destination: EventDestination, event: DeckEventRow): Promise<AttemptOutcome> {
    // Serialise once and sign exactly these bytes.
    const body = JSON.stringify(this.events.toEvent(event));
    // The signature's timestamp is wall-clock time, not sandbox time: receivers check it against their own clocks.
    const sentAt = new Date();
    const signatures = this.secretsOf(destination).map((secret) => new Webhook(secret).sign(event.id, sentAt, body));
    const headers: Record<string, string> = {
      ...this.customHeaders(destination),
      'content-type': 'application/json',
      'user-agent': 'Deckhand-Sandbox/1.0 (Deck v2 webhooks)',
      [WEBHOOK_HEADERS.id]: event.id,
      [WEBHOOK_HEADERS.timestamp]: String(Math.floor(sentAt.getTime() / 1000)),
      [WEBHOOK_HEADERS.signature]: signatures.join(' '),
    };
    try {
      const response = await fetch(String(destination.config.url), {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.body?.cancel();
      return { ok: response.status >= 200 && response.status < 300 };
    } catch {
      return { ok: false };
    }
  }

  private finish(id: string, outcome: AttemptOutcome, final: boolean): Promise<void> {
    return this.transactor
      .run(async (manager) => {
        const delivery = await manager.findOneBy(EventDelivery, { id });
        if (!delivery || delivery.status !== 'pending') {
          return;
        }
        const now = this.clock.now();
        // `attempts` counts requests sent; a delivery given up without sending one does not add a try.
        if (!final) {
          delivery.attempts += 1;
        }
        delivery.updated_at = now.toISOString();
        if (outcome.ok) {
          delivery.status = 'success';
          delivery.delivered_at = delivery.updated_at;
          delivery.next_attempt_at = null;
        } else if (final || delivery.attempts > RETRY_DELAYS_MS.length) {
          delivery.status = 'failure';
          delivery.next_attempt_at = null;
        } else {
          delivery.next_attempt_at = now.getTime() + RETRY_DELAYS_MS[delivery.attempts - 1];
        }
        await manager.save(delivery);
        if (delivery.status === 'failure' && !final) {
          await this.deactivate(manager, delivery.event_destination_id);
        }
      })
      .finally(() => this.scheduler.wake());
  }

  private async deactivate(manager: EntityManager, destinationId: string): Promise<void> {
    const destination = await manager.findOneBy(EventDestination, { id: destinationId });
    if (destination && destination.status === 'active') {
      destination.status = 'inactive';
      destination.updated_at = this.clock.now().toISOString();
      await manager.save(destination);
      await this.destinations.recordStatus(manager, destination);
    }
  }

  /** The current secret, and during a rotation's overlap the previous one too. */
  private secretsOf(destination: EventDestination): string[] {
    const secrets = destination.secret ? [destination.secret] : [];
    if (
      destination.previous_secret &&
      destination.previous_secret_expires_at &&
      Date.parse(destination.previous_secret_expires_at) > this.clock.nowMs()
    ) {
      secrets.push(destination.previous_secret);
    }
    return secrets;
  }

  private customHeaders(destination: EventDestination): Record<string, string> {
    const raw = destination.config.custom_headers;
    if (typeof raw !== 'string') {
      return {};
    }
    try {
      const parsed = JSON.parse(raw) as Record<string, unknown>;
      // Lower-cased, so the content type and the signing headers set after them replace any namesakes.
      return Object.fromEntries(
        Object.entries(parsed)
          .filter((e): e is [string, string] => typeof e[1] === 'string')
          .map(([name, value]) => [name.toLowerCase(), value]),
      );
    } catch {
      return {};
    }
  }
}
