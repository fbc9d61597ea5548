import { createHash } from 'node:crypto';

import type { DeckEvent } from '@app/deck';

import type { ReceivedEventRow } from './received-event.entity';

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
export const MAX_ID = 64;
export const MAX_TYPE = 60;
export const MAX_NOTE = 300;
/** What is kept of a body that is not JSON, for whoever reviews it. */
const MAX_UNPARSED = 4000;

/** An event to apply (or, with `hold`, only to keep), or why the body is not one. */
export type Candidate = { event: DeckEvent; problem: null; hold?: string } | { event: null; problem: string };

export const clip = (value: string, max: number): string => (value.length > max ? value.slice(0, max) : value);
export const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** Checks the envelope fields the inbox needs; the projection judges `data`. */
export function readEvent(body: unknown): Candidate {
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
export function credentialOf(event: DeckEvent | null): string | null {
  if (!event) {
    return null;
  }
  const data = event.data as { id?: unknown; credential_id?: unknown };
  const id = event.type.startsWith('credential.') ? data.id : data.credential_id;
  return nonEmpty(id) ? clip(id, MAX_ID) : null;
}

/** What the inbox keeps of a body: the event as received, or what a reviewer needs of anything else. */
export function payloadOf(body: unknown): object {
  if (body instanceof UnparsedBody) {
    return { unparsed: clip(body.text, MAX_UNPARSED) };
  }
  return typeof body === 'object' && body !== null ? body : { value: body ?? null };
}

/**
 * The id the inbox deduplicates on: the event's own id; else the webhook-id; else (never from Deck)
 * a stable fingerprint of the body.
 */
export function inboxIdOf(body: unknown, deliveryId: string | null): string {
  const ownId = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
  if (nonEmpty(ownId)) {
    return clip(ownId, MAX_ID);
  }
  if (deliveryId !== null) {
    return clip(deliveryId, MAX_ID);
  }
  const text = body instanceof UnparsedBody ? body.text : (JSON.stringify(body) ?? 'undefined');
  return `body_${createHash('sha256').update(text).digest('hex').slice(0, 40)}`;
}
