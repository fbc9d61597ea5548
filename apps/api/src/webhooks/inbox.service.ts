import { Injectable, Logger } from '@nestjs/common';
import { EntityManager, In, QueryFailedError } from 'typeorm';

import type { LiveChange } from '@app/contracts';
import { Reader, Transactor } from '@app/sqlite';

import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { LivePublisher } from '../changes/live-publisher';
import { MirrorLookups } from '../mirror/mirror-lookups';
import { MirrorService } from '../mirror/mirror.service';
import {
  Candidate,
  InboxResult,
  MAX_ID,
  MAX_NOTE,
  MAX_TYPE,
  Via,
  clip,
  credentialOf,
  inboxIdOf,
  nonEmpty,
  payloadOf,
  readEvent,
} from './inbox-event';
import { ReceivedEventRow } from './received-event.entity';

/** One event waiting for the next batch, and the caller waiting for its result. */
interface Waiting {
  id: string;
  body: unknown;
  candidate: Candidate;
  via: Via;
  settle: (done: Recorded | Error) => void;
}

/** What one event got in its batch: published and answered once the batch commits. */
type Recorded = { result: InboxResult; changes: LiveChange[] };

/** Enough to amortise a commit over many events, small enough that no delivery waits long behind one batch. */
const MAX_BATCH = 200;

/**
 * The one way Deck events enter the api, whether pushed (webhook) or pulled
 * (catch-up): record the event id, apply it to the mirror and append its
 * changes; then publish the committed changes. An event id already recorded is
 * a no-op. An event that cannot be applied is kept, `held`, with the reason,
 * and still acknowledged.
 *
 * Events that arrive while a batch is being written wait for the next one, so
 * under load many events share one transaction (one commit, set-based
 * look-ups), in arrival order; a lone event is written at once.
 */
@Injectable()
export class InboxService {
  private readonly logger = new Logger(InboxService.name);
  private readonly waiting: Waiting[] = [];
  /** A batch transaction is queued and has not yet taken its events. */
  private batchQueued = false;

  constructor(
    private readonly transactor: Transactor,
    private readonly mirror: MirrorService,
    private readonly live: LivePublisher,
    private readonly clock: Clock,
    private readonly reader: Reader,
  ) {}

  /** Which of these event ids the inbox already holds. */
  async known(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) {
      return new Set();
    }
    const rows = await this.reader.read((manager) =>
      manager.find(ReceivedEventRow, { select: { id: true }, where: { id: In(ids) } }),
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * `body` is the parsed JSON (or UnparsedBody); `deliveryId` the webhook-id, which
   * names a body that has no event id of its own.
   */
  receive(body: unknown, via: Via, deliveryId: string | null): Promise<InboxResult> {
    const id = inboxIdOf(body, deliveryId);
    if (deliveryId !== null && id !== clip(deliveryId, MAX_ID) && !id.startsWith('body_')) {
      // Deck sends the event id as webhook-id; the event id is what deduplicates.
      this.logger.warn(`Webhook ${clip(deliveryId, MAX_ID)} carries event ${id}: deduplicating on the event id`);
    }
    return new Promise<InboxResult>((resolve, reject) => {
      const settle = (done: Recorded | Error): void => {
        if (done instanceof Error) {
          reject(done);
        } else {
          resolve(done.result);
        }
      };
      this.waiting.push({ id, body, candidate: readEvent(body), via, settle });
      this.queueBatch();
    });
  }

  private queueBatch(): void {
    if (this.batchQueued) {
      return;
    }
    this.batchQueued = true;
    void this.writeBatch();
  }

  private async writeBatch(): Promise<void> {
    let batch: Waiting[] = [];
    let recorded: (Recorded | Error)[];
    try {
      recorded = await this.transactor.run((manager) => {
        // Taken only now, so everything that arrived while earlier work ran joins this batch.
        this.batchQueued = false;
        batch = this.waiting.splice(0, MAX_BATCH);
        if (this.waiting.length > 0) {
          this.queueBatch();
        }
        return this.recordAll(manager, batch);
      });
    } catch (error: unknown) {
      if (batch.length === 0) {
        // The transaction could not even begin, so nothing was taken: all that waits is refused, and Deck retries.
        this.batchQueued = false;
        this.logger.error(`Could not start an inbox transaction: ${error instanceof Error ? error.name : 'error'}`);
        this.waiting.splice(0).forEach((item) => item.settle(unavailable()));
        return;
      }
      // The batch as a whole failed (its commit, say): each event gets its own transaction, and its own verdict.
      recorded = [];
      for (const item of batch) {
        recorded.push(
          await this.transactor
            .run((manager) => this.recordAll(manager, [item]))
            .then(
              ([one]) => one,
              () => unavailable(),
            ),
        );
      }
    }
    batch.forEach((item, index) => {
      const done = recorded[index];
      if (!(done instanceof Error)) {
        this.live.publish(done.changes);
      }
      item.settle(done);
    });
  }

  /** Records a batch in the caller's transaction: one look-up for duplicates, one set of mirror reads, then each event. */
  private async recordAll(manager: EntityManager, batch: Waiting[]): Promise<(Recorded | Error)[]> {
    const existing = await manager.find(ReceivedEventRow, {
      select: { id: true, outcome: true },
      where: { id: In(batch.map((item) => item.id)) },
    });
    const outcomes = new Map(existing.map((row) => [row.id, row.outcome]));
    const lookups = new MirrorLookups(manager);
    await lookups.load(batch.filter((item) => !outcomes.has(item.id)).flatMap((item) => item.candidate.event ?? []));
    const recorded: (Recorded | Error)[] = [];
    for (const item of batch) {
      const outcome = outcomes.get(item.id);
      const done =
        outcome === undefined
          ? await this.recordOne(manager, lookups, item)
          : { result: await this.countDuplicate(manager, item.id, outcome, item.via), changes: [] };
      if (!(done instanceof Error)) {
        outcomes.set(item.id, done.result.outcome);
      }
      recorded.push(done);
    }
    return recorded;
  }

  /** One new event, inside its own savepoint: a failure undoes this event only. */
  private async recordOne(manager: EntityManager, lookups: MirrorLookups, item: Waiting): Promise<Recorded | Error> {
    const { id, candidate } = item;
    try {
      // Nested in the batch's transaction, TypeORM runs this in a savepoint.
      return await manager.transaction((inner) => this.record(inner, lookups, item, candidate));
    } catch (error: unknown) {
      // The rows the look-ups hold may have been changed by what was just undone.
      lookups.forget();
      const reason = error instanceof Error ? error.name : 'error';
      if (error instanceof QueryFailedError || !candidate.event) {
        // Another api instance may have recorded it between our read and our insert.
        const row = await manager.findOne(ReceivedEventRow, { select: { outcome: true }, where: { id } });
        if (row) {
          return { result: await this.countDuplicate(manager, id, row.outcome, item.via), changes: [] };
        }
        this.logger.error(`Could not record event ${id}: ${reason}`);
        return unavailable();
      }
      // A projection that throws on this event's data: keep the event for review instead of failing forever.
      this.logger.error(`Event ${id} (${candidate.event.type}) broke the projection (${reason}); kept for review`);
      return this.record(manager, lookups, item, {
        ...candidate,
        hold: `not applied: the projection failed (${reason})`,
      });
    }
  }

  private async record(
    manager: EntityManager,
    lookups: MirrorLookups,
    item: Waiting,
    candidate: Candidate,
  ): Promise<Recorded> {
    const event = candidate.event;
    const held = event ? (candidate.hold ?? null) : candidate.problem;
    const applied =
      event && held === null
        ? await this.mirror.applyEvent(manager, event, lookups)
        : { outcome: 'held' as const, note: held, changes: [] };
    const data = (event?.data ?? {}) as { id?: unknown };
    // The primary key is the claim on this event, even across api instances: a second insert fails and is undone.
    await manager.insert(ReceivedEventRow, {
      id: item.id,
      type: clip(event?.type ?? '(not an event)', MAX_TYPE),
      object_id: nonEmpty(data.id) ? clip(data.id, MAX_ID) : null,
      deck_credential_id: credentialOf(event),
      created_at: event?.created_at ?? this.clock.iso(),
      received_at: this.clock.iso(),
      via: item.via,
      duplicates: 0,
      outcome: applied.outcome,
      note: applied.note === null ? null : clip(applied.note, MAX_NOTE),
      payload: payloadOf(item.body),
    });
    return { result: { id: item.id, duplicate: false, outcome: applied.outcome }, changes: applied.changes };
  }

  /** A redelivery is counted; catch-up re-reading what it already has (its overlap) is not. */
  private async countDuplicate(
    manager: EntityManager,
    id: string,
    outcome: ReceivedEventRow['outcome'],
    via: Via,
  ): Promise<InboxResult> {
    if (via === 'webhook') {
      await manager.increment(ReceivedEventRow, { id }, 'duplicates', 1);
    }
    return { id, duplicate: true, outcome };
  }
}

/** Transient (a locked or full database): a non-2xx makes Deck retry. */
function unavailable(): ApiError {
  return new ApiError('unavailable', 'The event could not be stored right now. Deck will retry.');
}
