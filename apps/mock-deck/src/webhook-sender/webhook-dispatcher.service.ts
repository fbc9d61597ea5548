import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, LessThanOrEqual, Repository } from 'typeorm';

import type { DeliveryFaultName } from '@app/deck';

import { SandboxClock } from '../scheduler/clock';
import { IdGenerator } from '../common/ids';
import { MockDeckConfig, mockDeckConfig } from '../config/mock-deck.config';
import { Transactor } from '@app/sqlite';
import { EventDelivery } from '../event-destinations/event-delivery.entity';
import { EventDestination } from '../event-destinations/event-destination.entity';
import { EventDestinationsService } from '../event-destinations/event-destinations.service';
import { DeckEventRow } from '../events/event.entity';
import { EventsService } from '../events/events.service';
import { ScheduledWork, Scheduler } from '../scheduler/scheduler.service';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { DestinationSlots } from './destination-slots';
import { countedFault, normalizeFaults, planFirstAttemptHold } from './delivery-faults';
import { DELIVERY_TIMEOUT_MS, DELIVERY_WORK, IN_FLIGHT_LEASE_MS, nextRetryDelay } from './delivery-schedule';
import { buildWebhookRequest, parseCustomHeaders, WebhookRequest } from './webhook-request';
import { postWebhook, SendResult } from './webhook-transport';

/** One delivery taken for one send: a scheduled try or a requested redelivery. */
interface Claim {
  delivery: EventDelivery;
  destination: EventDestination;
  event: DeckEventRow;
  redelivery: boolean;
  /** The lease written on the row; a redelivery clears its request only if it is still this one. */
  lease: number;
  /** 1-based scheduled try (what `drop_first` / `fail_first` count); 0 for a redelivery. */
  tryNumber: number;
  /** The hold faults to name on this send (a held delivery's first try only). */
  holdFaults: DeliveryFaultName[];
}

/** One request made (or dropped), waiting to be written to the log. */
interface LoggedSend {
  sentAt: string;
  request: WebhookRequest;
  result: SendResult;
  faults: DeliveryFaultName[];
}

/** A send whose outcome waits to be written with others in one transaction. */
interface PendingFinish {
  claim: Claim;
  result: SendResult;
  sends: LoggedSend[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Requests in flight at once to one destination. */
export const DESTINATION_CONCURRENCY = 32;
/** Due deliveries looked at per claiming transaction. */
const CLAIM_BATCH = 256;
/** Finished sends written per transaction. */
const FINISH_BATCH = 256;

/** A try `drop_first` swallowed: nothing was sent, so there is no status, latency or answer. */
const DROPPED: SendResult = {
  ok: false,
  status_code: null,
  latency_ms: 0,
  response_excerpt: null,
  error: 'dropped by fault',
  retry_after_ms: null,
};

/**
 * Delivers events to webhook destinations as Deck does: one signed POST per
 * event per destination, a 2xx within 5 s or it is retried on the configured
 * schedule, and after the last retry the destination goes inactive. Sends run in
 * the background, so a slow receiver never holds up the scheduler, the API or
 * other destinations. Every request (and every dropped one) is logged as a
 * `DeliveryAttempt` in the transaction that updates its delivery; the
 * destination's faults are applied on the way.
 *
 * All due work is a row with a due time (`next_attempt_at`, a first attempt's
 * hold, `redeliver_at`), so a restart loses nothing.
 *
 * It has its own scheduler lane, woken by every event that commits deliveries,
 * so a delivery starts right after its event's commit. Due deliveries are claimed
 * many per transaction, sent concurrently up to `DESTINATION_CONCURRENCY` per
 * destination, and their outcomes written many per transaction (each in its own
 * savepoint, so one that fails does not undo the others).
 */
@Injectable()
export class WebhookDispatcher implements ScheduledWork, OnModuleInit {
  readonly name = DELIVERY_WORK;
  readonly ownLane = true;
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly slots = new DestinationSlots(DESTINATION_CONCURRENCY);
  private finishing: PendingFinish[] = [];
  private flushing: Promise<void> | null = null;

  constructor(
    @InjectRepository(EventDelivery) private readonly deliveries: Repository<EventDelivery>,
    private readonly destinations: EventDestinationsService,
    private readonly events: EventsService,
    private readonly transactor: Transactor,
    private readonly scheduler: Scheduler,
    private readonly clock: SandboxClock,
    private readonly ids: IdGenerator,
    @Inject(mockDeckConfig.KEY) private readonly config: MockDeckConfig,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(this);
  }

  async runDue(nowMs: number): Promise<number | null> {
    const claims = await this.claimDue(nowMs);
    const redeliveries = await this.deliveries.find({
      where: { redeliver_at: LessThanOrEqual(nowMs) },
      order: { redeliver_at: 'ASC', seq: 'ASC' },
      take: 100,
    });
    for (const delivery of redeliveries) {
      const claim = await this.claimRedelivery(delivery.id, nowMs);
      if (claim) {
        claims.push(claim);
      }
    }
    claims.forEach((claim) => this.slots.take(claim.destination.id));
    this.dispatch(claims);
    return this.nextDue();
  }

  /** Waits for every send under way (used at shutdown and by tests). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) {
      await Promise.allSettled([...this.inFlight]);
    }
  }

  /**
   * Sends in the background. A reorder window's deliveries to one destination
   * go one after the other, newest first, so the receiver sees them in that
   * order; everything else goes at once.
   */
  private dispatch(claims: Claim[]): void {
    const windows = new Map<string, Claim[]>();
    for (const claim of claims) {
      if (!claim.redelivery && claim.holdFaults.includes('reorder_window_ms')) {
        windows.set(claim.destination.id, [...(windows.get(claim.destination.id) ?? []), claim]);
      } else {
        this.track(this.attempt(claim).finally(() => this.release(claim)));
      }
    }
    for (const window of windows.values()) {
      window.sort((a, b) => b.delivery.seq - a.delivery.seq);
      this.track(
        (async () => {
          for (const claim of window) {
            await this.attempt(claim).finally(() => this.release(claim));
          }
        })(),
      );
    }
  }

  /** A slot freed: deliveries waiting for it may be claimed now. */
  private release(claim: Claim): void {
    this.slots.release(claim.destination.id);
    this.scheduler.wakeWork(this);
  }

  /** The next due time among deliveries a claim could take now (a full destination's wait for a slot). */
  private async nextDue(): Promise<number | null> {
    const full = this.slots.full();
    const pending = this.deliveries
      .createQueryBuilder('d')
      .select('MIN(d.next_attempt_at)', 'next')
      .where('d.status = :status', { status: 'pending' });
    if (full.length > 0) {
      pending.andWhere('d.event_destination_id NOT IN (:...full)', { full });
    }
    const rows = await Promise.all([
      pending.getRawOne<{ next: number | string | null }>(),
      this.deliveries
        .createQueryBuilder('d')
        .select('MIN(d.redeliver_at)', 'next')
        .getRawOne<{ next: number | string | null }>(),
    ]);
    const times = rows.map((row) => row?.next).filter((t): t is number | string => t !== null && t !== undefined);
    return times.length === 0 ? null : Math.min(...times.map(Number));
  }

  private track(promise: Promise<void>): void {
    const tracked = promise
      .catch((error: unknown) => this.logger.error({ err: error }, 'Delivery attempt crashed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /**
   * Takes due deliveries for their next scheduled try, many in one transaction,
   * as many per destination as it has free slots.
   */
  private claimDue(nowMs: number): Promise<Claim[]> {
    return this.transactor.run(async (manager) => {
      const full = this.slots.full();
      const query = manager
        .createQueryBuilder(EventDelivery, 'd')
        .where('d.status = :status AND d.next_attempt_at <= :nowMs', { status: 'pending', nowMs });
      if (full.length > 0) {
        query.andWhere('d.event_destination_id NOT IN (:...full)', { full });
      }
      const due = await query
        .orderBy('d.next_attempt_at', 'ASC')
        .addOrderBy('d.seq', 'ASC')
        .limit(CLAIM_BATCH)
        .getMany();
      const destinations = new Map<string, EventDestination | null>();
      const eventIds = [...new Set(due.map((d) => d.event_id))];
      const events = new Map(
        (eventIds.length > 0 ? await manager.findBy(DeckEventRow, { id: In(eventIds) }) : []).map((e) => [e.id, e]),
      );
      const taken = new Map<string, number>();
      const claims: Claim[] = [];
      for (const delivery of due) {
        const destinationId = delivery.event_destination_id;
        if ((taken.get(destinationId) ?? 0) >= this.slots.free(destinationId)) {
          continue;
        }
        const claim = await this.claimOne(manager, delivery, nowMs, destinations, events);
        if (claim) {
          taken.set(destinationId, (taken.get(destinationId) ?? 0) + 1);
          claims.push(claim);
        }
      }
      return claims;
    });
  }

  /**
   * Takes a due delivery for its next scheduled try. A lease brings it back if
   * the process dies mid-send. A first try the destination's faults hold is
   * instead given its release time, and nothing is sent now.
   */
  private async claimOne(
    manager: EntityManager,
    delivery: EventDelivery,
    nowMs: number,
    destinations: Map<string, EventDestination | null>,
    events: Map<string, DeckEventRow>,
  ): Promise<Claim | null> {
    const target = await this.target(manager, delivery, destinations, events);
    if (!target) {
      // Given up without a request: `attempts` counts requests, so it stays as it is.
      await manager.update(
        EventDelivery,
        { id: delivery.id },
        { status: 'failure', next_attempt_at: null, updated_at: this.clock.now().toISOString() },
      );
      return null;
    }
    if (delivery.attempts === 0 && delivery.held_until === null && delivery.next_attempt_at !== null) {
      // Counted from when the delivery fell due (the event's time), not from when this pass got to it.
      const dueMs = delivery.next_attempt_at;
      const hold = planFirstAttemptHold(
        normalizeFaults(target.destination.faults),
        dueMs,
        await this.openReorderWindow(manager, delivery.event_destination_id, dueMs),
      );
      if (hold) {
        // Even a hold already over is written and left to the next pass, so a reorder window goes out whole.
        await manager.update(
          EventDelivery,
          { id: delivery.id },
          { held_until: hold.untilMs, next_attempt_at: hold.untilMs, held_faults: hold.faults },
        );
        return null;
      }
    }
    delivery.next_attempt_at = nowMs + IN_FLIGHT_LEASE_MS * this.clock.getScale();
    await manager.update(EventDelivery, { id: delivery.id }, { next_attempt_at: delivery.next_attempt_at });
    return {
      delivery,
      ...target,
      redelivery: false,
      lease: delivery.next_attempt_at,
      tryNumber: delivery.attempts + 1,
      holdFaults: delivery.attempts === 0 ? (delivery.held_faults ?? []) : [],
    };
  }

  /** Takes a requested redelivery; one whose destination can no longer receive is dropped. */
  private claimRedelivery(id: string, nowMs: number): Promise<Claim | null> {
    return this.transactor.run(async (manager) => {
      const delivery = await manager.findOneBy(EventDelivery, { id });
      if (!delivery || delivery.redeliver_at === null || delivery.redeliver_at > nowMs) {
        return null;
      }
      const target = await this.target(manager, delivery);
      delivery.redeliver_at = target ? nowMs + IN_FLIGHT_LEASE_MS * this.clock.getScale() : null;
      await manager.save(delivery);
      return target && delivery.redeliver_at !== null
        ? { delivery, ...target, redelivery: true, lease: delivery.redeliver_at, tryNumber: 0, holdFaults: [] }
        : null;
    });
  }

  /** The destination and event of a delivery, if the destination can still receive it (looked up once per claiming transaction). */
  private async target(
    manager: EntityManager,
    delivery: EventDelivery,
    destinations = new Map<string, EventDestination | null>(),
    events = new Map<string, DeckEventRow>(),
  ): Promise<{ destination: EventDestination; event: DeckEventRow } | null> {
    let destination = destinations.get(delivery.event_destination_id);
    if (destination === undefined) {
      destination = await manager.findOneBy(EventDestination, { id: delivery.event_destination_id });
      destinations.set(delivery.event_destination_id, destination);
    }
    const event = events.get(delivery.event_id) ?? (await manager.findOneBy(DeckEventRow, { id: delivery.event_id }));
    if (
      !destination ||
      !event ||
      destination.deleted_at ||
      destination.status !== 'active' ||
      destination.type !== 'webhook'
    ) {
      return null;
    }
    return { destination, event };
  }

  /** The end of the destination's reorder window still open at `atMs`, if any. */
  private async openReorderWindow(manager: EntityManager, destinationId: string, atMs: number): Promise<number | null> {
    const row = await manager
      .createQueryBuilder(EventDelivery, 'd')
      .select('MAX(d.held_until)', 'end')
      .where('d.event_destination_id = :destinationId AND d.status = :status AND d.attempts = 0', {
        destinationId,
        status: 'pending',
      })
      .andWhere('d.held_until > :atMs AND d.held_faults LIKE :reorder', { atMs, reorder: '%"reorder_window_ms"%' })
      .getRawOne<{ end: number | string | null }>();
    return row?.end === null || row?.end === undefined ? null : Number(row.end);
  }

  /** Sends one claim (with its faults and duplicate copies) and records what happened. */
  private async attempt(claim: Claim): Promise<void> {
    const { destination, event } = claim;
    const faults = normalizeFaults(destination.faults);
    const counted = claim.redelivery ? null : countedFault(faults, claim.tryNumber);
    const request = buildWebhookRequest({
      // Deck says to dedupe on the event id, so it is the `webhook-id` of every attempt.
      messageId: event.id,
      // Serialised once: these exact bytes are signed and sent (and re-sent as duplicates).
      body: JSON.stringify(this.events.toEvent(event)),
      secrets: this.secretsOf(destination),
      customHeaders: parseCustomHeaders(destination.config.custom_headers),
      faults,
      wallNow: new Date(),
      randomSecret: () => this.ids.newWebhookSecret(),
    });
    const url = String(destination.config.url);
    const sentAt = this.clock.now().toISOString();
    let result: SendResult;
    let applied: DeliveryFaultName[];
    if (counted === 'drop_first') {
      result = DROPPED;
      applied = [...claim.holdFaults, 'drop_first'];
    } else {
      result = await postWebhook(url, request.headers, request.body, DELIVERY_TIMEOUT_MS);
      applied = [...claim.holdFaults, ...request.faults];
      if (counted === 'fail_first') {
        applied.push('fail_first');
        result = { ...result, ok: false, error: result.error ?? 'counted as failed by fault' };
      }
    }
    // Stamped behind the time its delivery was made: `late_events` committed it late.
    const late = event.created_at < claim.delivery.created_at;
    if (late) {
      applied.push('late_events');
    }
    const sends: LoggedSend[] = [{ sentAt, request, result, faults: applied }];
    if (result.ok && faults?.duplicate) {
      // Copies of the same request, all at once (a receiver must dedupe concurrent duplicates too), and
      // bounded by one timeout in all, so they never outlast the in-flight lease.
      const copySentAt = this.clock.now().toISOString();
      const copies = await Promise.all(
        Array.from({ length: faults.duplicate }, () =>
          postWebhook(url, request.headers, request.body, DELIVERY_TIMEOUT_MS),
        ),
      );
      for (const copy of copies) {
        sends.push({
          sentAt: copySentAt,
          request,
          result: copy,
          faults: ['duplicate', ...request.faults, ...(late ? (['late_events'] as const) : [])],
        });
      }
    }
    await this.finish(claim, result, sends);
  }

  /** Writes the log entries and updates the delivery; resolves once that is committed (with others' finishes). */
  private finish(claim: Claim, result: SendResult, sends: LoggedSend[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.finishing.push({ claim, result, sends, resolve, reject });
      this.flush();
    });
  }

  /** Group commit: whatever finished while the previous batch was being written goes in the next one. */
  private flush(): void {
    if (this.flushing) {
      return;
    }
    this.flushing = (async () => {
      while (this.finishing.length > 0) {
        const batch = this.finishing.splice(0, FINISH_BATCH);
        const failures = new Map<PendingFinish, unknown>();
        try {
          await this.transactor.run(async (manager) => {
            for (const item of batch) {
              try {
                // A savepoint each: one delivery's failure leaves the others' writes in the commit.
                await manager.transaction((inner) => this.finishOne(inner, item));
              } catch (error: unknown) {
                failures.set(item, error);
              }
            }
          });
        } catch (error: unknown) {
          batch.forEach((item) => failures.set(item, error));
        }
        for (const item of batch) {
          if (failures.has(item)) {
            item.reject(failures.get(item));
          } else {
            item.resolve();
          }
        }
        // A retry planned for later needs the lane to re-plan its timer.
        this.scheduler.wakeWork(this);
      }
    })().finally(() => {
      this.flushing = null;
      if (this.finishing.length > 0) {
        this.flush();
      }
    });
  }

  private async finishOne(manager: EntityManager, { claim, result, sends }: PendingFinish): Promise<void> {
    const delivery = await manager.findOneBy(EventDelivery, { id: claim.delivery.id });
    if (!delivery) {
      // The organisation was wiped while the request was out.
      return;
    }
    await this.log(manager, delivery, claim.redelivery, sends);
    const now = this.clock.now();
    let exhausted = false;
    if (claim.redelivery) {
      this.settleRedelivery(delivery, claim.lease, result, now);
    } else if (delivery.status === 'pending') {
      exhausted = this.settleTry(delivery, result, now);
    }
    const { status, attempts, delivered_at, next_attempt_at, redeliver_at, updated_at } = delivery;
    await manager.update(
      EventDelivery,
      { id: delivery.id },
      { status, attempts, delivered_at, next_attempt_at, redeliver_at, updated_at },
    );
    if (exhausted) {
      await this.deactivate(manager, delivery.event_destination_id);
    }
  }

  /** Counts a scheduled try; returns true when it was the last one and failed. */
  private settleTry(delivery: EventDelivery, result: SendResult, now: Date): boolean {
    delivery.attempts += 1;
    delivery.updated_at = now.toISOString();
    if (result.ok) {
      delivery.status = 'success';
      delivery.delivered_at = delivery.updated_at;
      delivery.next_attempt_at = null;
      return false;
    }
    const delay = nextRetryDelay(this.config.retryScheduleMs, delivery.attempts, result.retry_after_ms);
    if (delay === null) {
      delivery.status = 'failure';
      delivery.next_attempt_at = null;
      return true;
    }
    delivery.next_attempt_at = now.getTime() + delay;
    return false;
  }

  /**
   * A redelivery is not one of the scheduled tries (`attempts` and the retry
   * schedule are left alone). A success delivers a pending or failed delivery;
   * a success stays a success whatever the redelivery gets.
   */
  private settleRedelivery(delivery: EventDelivery, lease: number, result: SendResult, now: Date): void {
    if (delivery.redeliver_at === lease) {
      delivery.redeliver_at = null;
    }
    delivery.updated_at = now.toISOString();
    if (result.ok && delivery.status !== 'success') {
      delivery.status = 'success';
      delivery.delivered_at = delivery.updated_at;
      delivery.next_attempt_at = null;
    }
  }

  private async log(
    manager: EntityManager,
    delivery: EventDelivery,
    redelivery: boolean,
    sends: LoggedSend[],
  ): Promise<void> {
    const last = await manager
      .createQueryBuilder(DeliveryAttempt, 'a')
      .select('MAX(a.number)', 'number')
      .where('a.delivery_id = :id', { id: delivery.id })
      .getRawOne<{ number: number | string | null }>();
    let number = Number(last?.number ?? 0);
    const rows = sends.map(({ sentAt, request, result, faults }) =>
      manager.create(DeliveryAttempt, {
        id: this.ids.newId('delivery_attempt'),
        org_id: delivery.org_id,
        delivery_id: delivery.id,
        event_id: delivery.event_id,
        event_type: delivery.event_type,
        destination_id: delivery.event_destination_id,
        number: ++number,
        sent_at: sentAt,
        webhook_timestamp: request.webhookTimestamp,
        status_code: result.status_code,
        latency_ms: result.latency_ms,
        response_excerpt: result.response_excerpt,
        error: result.error === null ? null : result.error.slice(0, 255),
        outcome: result.ok ? 'success' : 'failure',
        faults,
        redelivery,
      }),
    );
    await manager.save(rows);
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
}
