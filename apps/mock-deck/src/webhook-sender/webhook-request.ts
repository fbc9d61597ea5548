import { Webhook } from 'standardwebhooks';

import { DeliveryFaultName, DeliveryFaults, WEBHOOK_HEADERS } from '@app/deck';

export const WEBHOOK_USER_AGENT = 'Deckhand-Sandbox/1.0 (Deck v2 webhooks)';

/** One signed POST, ready to send (and to send again, byte for byte, as a duplicate). */
export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
  /** The Unix seconds actually signed and sent in `webhook-timestamp`. */
  webhookTimestamp: number;
  /** The signing faults applied to it. */
  faults: DeliveryFaultName[];
}

export interface WebhookRequestInput {
  /** `webhook-id`: the event id, the same on every attempt of the event. */
  messageId: string;
  /** The serialised event; these exact bytes are signed and sent. */
  body: string;
  /** The destination's signing secrets, current first (two during a rotation's overlap). */
  secrets: string[];
  customHeaders: Record<string, string>;
  faults: DeliveryFaults | null;
  /** Wall-clock time of the attempt: receivers check the timestamp against their own clocks. */
  wallNow: Date;
  /** A fresh random `whsec_` secret, for the wrong and the decoy signatures. */
  randomSecret: () => string;
}

/** Signs an event as Standard Webhooks does, with the destination's signing faults applied. */
export function buildWebhookRequest(input: WebhookRequestInput): WebhookRequest {
  const { faults } = input;
  const applied: DeliveryFaultName[] = [];
  let signedAt = input.wallNow;
  if (faults?.stale_timestamp_s) {
    applied.push('stale_timestamp_s');
    signedAt = new Date(input.wallNow.getTime() - faults.stale_timestamp_s * 1000);
  }
  const sign = (secret: string) => new Webhook(secret).sign(input.messageId, signedAt, input.body);
  let signatures = input.secrets.map(sign);
  if (faults?.bad_signature) {
    applied.push('bad_signature');
    signatures = [sign(input.randomSecret())];
  }
  if (faults?.dual_signature) {
    applied.push('dual_signature');
    // The decoy goes first, so a receiver that checks only the first entry fails as it would in a rotation.
    signatures = [sign(input.randomSecret()), ...signatures];
  }
  const webhookTimestamp = Math.floor(signedAt.getTime() / 1000);
  return {
    body: input.body,
    headers: {
      ...input.customHeaders,
      'content-type': 'application/json',
      'user-agent': WEBHOOK_USER_AGENT,
      [WEBHOOK_HEADERS.id]: input.messageId,
      [WEBHOOK_HEADERS.timestamp]: String(webhookTimestamp),
      [WEBHOOK_HEADERS.signature]: signatures.join(' '),
    },
    webhookTimestamp,
    faults: applied,
  };
}

/**
 * A destination's `custom_headers` (a JSON-encoded object), lower-cased so the
 * content type and signing headers set after them replace any namesakes.
 */
export function parseCustomHeaders(raw: unknown): Record<string, string> {
  if (typeof raw !== 'string') {
    return {};
  }
  try {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(parsed)
        .filter((e): e is [string, string] => typeof e[1] === 'string')
        .map(([name, value]) => [name.toLowerCase(), value]),
    );
  } catch {
    return {};
  }
}
