import type { SandboxDeliveryAttempt } from '@app/deck';

import type { DeliveryAttempt } from '../webhook-sender/delivery-attempt.entity';

/** The attempts log's row as `/sandbox` shows it. */
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
