import { Injectable, Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, QueryFailedError, Repository } from 'typeorm';

import type { LiveChange } from '@app/contracts';
import type { DeckEvent } from '@app/deck';
import { Transactor } from '@app/sqlite';

import { ApiError } from '../common/api-error';
import { Clock } from '../common/clock';
import { LivePublisher } from '../changes/live-publisher';
import { MirrorService } from '../mirror/mirror.service';
import { ReceivedEventRow } from './received-event.entity';

export type Via = ReceivedEventRow['via'];
export type Outcome = ReceivedEventRow['outcome'];

/** What the inbox did with one event. */
export interface InboxResult {
  id: string;
  /** Already in the inbox: nothing changed. */
  duplicate: boolean;
  /** For a duplicate, what the first copy got. */
  outcome: Outcome;
}

/** A signed body whose bytes are not JSON at all. */
export class UnparsedBody {
  constructor(
    readonly text: string,
    readonly reason = 'the signed body is not JSON',
  ) {}
}

/** Column sizes of `received_events`, so a hostile or drifting payload cannot overflow them. */
const MAX_ID = 64;
const MAX_TYPE = 60;
const MAX_NOTE = 300;
/** What is kept of a body that is not JSON, for whoever reviews it. */
const MAX_UNPARSED = 4000;

/** An event to apply (or, with `hold`, only to keep), or why the body is not one. */
type Candidate = { event: DeckEvent; problem: null; hold?: string } | { event: null; problem: string };

const clip = (value: string, max: number): string => (value.length > max ? value.slice(0, max) : value);
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Checks the envelope fields the inbox needs; the projection judges `data`. */
function readEvent(body: unknown): Candidate {
  if (body instanceof UnparsedBody) {
    return { event: null, problem: body.reason };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { event: null, problem: 'the signed body is JSON but not an object' };
  }
  const candidate = body as Record<string, unknown>;
  const missing = ['id', 'type', 'created_at'].filter((field) => !nonEmpty(candidate[field]));
  if (missing.length > 0) {
    return { event: null, problem: `not a Deck event: no ${missing.join(', ')}` };
  }
  if (Number.isNaN(Date.parse(candidate.created_at as string))) {
    return { event: null, problem: 'not a Deck event: created_at is not a date' };
  }
  const data = candidate.data ?? {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { event: null, problem: 'not a Deck event: data is not an object' };
  }
  return {
    problem: null,
    // The mirror orders by comparing ISO strings, so every time is written the same way.
    event: {
      ...(candidate as unknown as DeckEvent),
      data: data as Record<string, unknown>,
      created_at: new Date(candidate.created_at as string).toISOString(),
    },
  };
}

/** The Deck credential an event concerns: a credential event's own object, else the one its data names. */
function credentialOf(event: DeckEvent | null): string | null {
  if (!event) {
    return null;
  }
  const data = event.data as { id?: unknown; credential_id?: unknown };
  const id = event.type.startsWith('credential.') ? data.id : data.credential_id;
  return nonEmpty(id) ? clip(id, MAX_ID) : null;
}

/** What the inbox keeps of a body: the event as received, or what a reviewer needs of anything else. */
function payloadOf(body: unknown): object {
  if (body instanceof UnparsedBody) {
    return { unparsed: clip(body.text, MAX_UNPARSED) };
  }
  return typeof body === 'object' && body !== null ? body : { value: body ?? null };
}

/**
 * The one way Deck events enter the api, whether pushed (webhook) or pulled
 * (catch-up): record the event id, apply it to the mirror and append its
 * changes, all in one transaction; then publish the committed changes. An event
 * id already recorded is a no-op. An event that cannot be applied is kept,
 * `held`, with the reason, and still acknowledged.
 */
@Injectable()
export class InboxService {
  private readonly logger = new Logger(InboxService.name);

  constructor(
    private readonly transactor: Transactor,
    private readonly mirror: MirrorService,
    private readonly live: LivePublisher,
    private readonly clock: Clock,
    @InjectRepository(ReceivedEventRow) private readonly events: Repository<ReceivedEventRow>,
  ) {}

  /** Which of these event ids the inbox already holds. */
  async known(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) {
      return new Set();
    }
    const rows = await this.transactor.exclusive(() =>
      this.events.find({ select: { id: true }, where: { id: In(ids) } }),
    );
    return new Set(rows.map((row) => row.id));
  }

  /**
   * `body` is the parsed JSON (or UnparsedBody); `deliveryId` the webhook-id, which
   * names a body that has no event id of its own.
   */
  async receive(body: unknown, via: Via, deliveryId: string | null): Promise<InboxResult> {
    const candidate = readEvent(body);
    const ownId = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
    const id = clip(nonEmpty(ownId) ? ownId : (deliveryId ?? this.fingerprint(body)), MAX_ID);
    if (deliveryId !== null && nonEmpty(ownId) && ownId !== deliveryId) {
      // Deck sends the event id as webhook-id; the event id is what deduplicates.
      this.logger.warn(`Webhook ${clip(deliveryId, MAX_ID)} carries event ${id}: deduplicating on the event id`);
    }
    let changes: LiveChange[] = [];
    let result: InboxResult;
    try {
      ({ result, changes } = await this.transactor.run((manager) => this.record(manager, id, body, candidate, via)));
    } catch (error: unknown) {
      if (error instanceof QueryFailedError || !candidate.event) {
        // Another api instance may have recorded it between our read and our insert.
        const recorded = await this.transactor.run((manager) => this.duplicate(manager, id, via)).catch(() => null);
        if (!recorded) {
          this.logger.error(`Could not record event ${id}: ${error instanceof Error ? error.name : 'error'}`);
          // Transient (a locked or full database): a non-2xx makes Deck retry.
          throw new ApiError('unavailable', 'The event could not be stored right now. Deck will retry.');
        }
        result = recorded;
      } else {
        // A projection that throws on this event's data: keep the event for review instead of failing forever.
        const reason = error instanceof Error ? error.name : 'error';
        this.logger.error(`Event ${id} (${candidate.event.type}) broke the projection (${reason}); kept for review`);
        const held = { ...candidate, hold: `not applied: the projection failed (${reason})` };
        ({ result } = await this.transactor.run((manager) => this.record(manager, id, body, held, via)));
      }
    }
    this.live.publish(changes);
    return result;
  }

  private async record(
    manager: EntityManager,
    id: string,
    body: unknown,
    candidate: Candidate,
    via: Via,
  ): Promise<{ result: InboxResult; changes: LiveChange[] }> {
    const existing = await manager.findOneBy(ReceivedEventRow, { id });
    if (existing) {
      return { result: await this.countDuplicate(manager, existing, via), changes: [] };
    }
    const event = candidate.event;
    const note = candidate.event ? (candidate.hold ?? null) : candidate.problem;
    const data = (event?.data ?? {}) as { id?: unknown };
    // Insert first: the primary key is the claim on this event, even across api instances.
    await manager.insert(ReceivedEventRow, {
      id,
      type: clip(event?.type ?? '(not an event)', MAX_TYPE),
      object_id: nonEmpty(data.id) ? clip(data.id, MAX_ID) : null,
      deck_credential_id: credentialOf(event),
      created_at: event?.created_at ?? this.clock.iso(),
      received_at: this.clock.iso(),
      via,
      duplicates: 0,
      outcome: 'held',
      note: note === null ? null : clip(note, MAX_NOTE),
      payload: payloadOf(body),
    });
    if (!event || note !== null) {
      return { result: { id, duplicate: false, outcome: 'held' }, changes: [] };
    }
    const applied = await this.mirror.applyEvent(manager, event);
    await manager.update(
      ReceivedEventRow,
      { id },
      { outcome: applied.outcome, note: applied.note === null ? null : clip(applied.note, MAX_NOTE) },
    );
    return { result: { id, duplicate: false, outcome: applied.outcome }, changes: applied.changes };
  }

  /** The event if already recorded (counted as a duplicate), else null. */
  private async duplicate(manager: EntityManager, id: string, via: Via): Promise<InboxResult | null> {
    const existing = await manager.findOneBy(ReceivedEventRow, { id });
    return existing ? this.countDuplicate(manager, existing, via) : null;
  }

  /** A redelivery is counted; catch-up re-reading what it already has (its overlap) is not. */
  private async countDuplicate(manager: EntityManager, row: ReceivedEventRow, via: Via): Promise<InboxResult> {
    if (via === 'webhook') {
      await manager.increment(ReceivedEventRow, { id: row.id }, 'duplicates', 1);
    }
    return { id: row.id, duplicate: true, outcome: row.outcome };
  }

  /** Only for a body with neither an event id nor a webhook-id (never from Deck): a stable name for it. */
  private fingerprint(body: unknown): string {
    const text = body instanceof UnparsedBody ? body.text : (JSON.stringify(body) ?? 'undefined');
    return `body_${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
  }
}
