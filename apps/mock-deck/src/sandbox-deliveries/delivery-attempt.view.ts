import type { EventType } from '@app/deck';

import type { DeliveryAttempt } from '../webhook-sender/delivery-attempt.entity';
import type { DeliveryFaultName } from '../webhook-sender/delivery-faults';

/** One logged webhook request, as `/sandbox` shows it (sandbox-only; Deck has no such object). */
export interface SandboxDeliveryAttempt {
  object: 'delivery_attempt';
  id: string;
  /** Ascending across the organisation's log: the live tail's position. */
  seq: number;
  delivery_id: string;
  event_id: string;
  event_type: EventType;
  event_destination_id: string;
  number: number;
  sent_at: string;
  webhook_timestamp: number;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  outcome: 'success' | 'failure';
  faults: DeliveryFaultName[];
  redelivery: boolean;
}

/** A page of the live tail; ask again with `after=next_after`. */
export interface SandboxAttemptTail {
  data: SandboxDeliveryAttempt[];
  has_more: boolean;
  next_after: number;
  request_id?: string;
}

export function toSandboxDeliveryAttempt(row: DeliveryAttempt): SandboxDeliveryAttempt {
  return {
    object: 'delivery_attempt',
    id: row.id,
    seq: row.seq,
    delivery_id: row.delivery_id,
    event_id: row.event_id,
    event_type: row.event_type,
    event_destination_id: row.destination_id,
    number: row.number,
    sent_at: row.sent_at,
    webhook_timestamp: row.webhook_timestamp,
    status_code: row.status_code,
    latency_ms: row.latency_ms,
    response_excerpt: row.response_excerpt,
    error: row.error,
    outcome: row.outcome,
    faults: row.faults,
    redelivery: row.redelivery,
  };
}
