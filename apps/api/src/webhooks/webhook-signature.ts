import { Webhook, WebhookVerificationError } from 'standardwebhooks';

import { WEBHOOK_HEADERS } from '@app/deck';

export type Verification = { ok: true; webhookId: string } | { ok: false; reason: string };

const fail = (reason: string): Verification => ({ ok: false, reason });

/** Unix seconds, digits only: the library's `parseInt` would take `1674087231abc`, we do not. */
const TIMESTAMP = /^\d{1,12}$/;

/**
 * Standard Webhooks verification of the exact bytes received, against each
 * secret in turn (current, then previous during a rotation). Fails closed:
 * anything unexpected, including a throw from the library, is a refusal. The
 * reason is safe to log: it never holds the body, a signature or a secret.
 * Each header must come once (pass `req.headersDistinct`): two signature
 * headers are not the spec's one space-separated list.
 */
export function verifyDelivery(
  rawBody: unknown,
  headers: Record<string, string | string[] | undefined>,
  secrets: readonly string[],
): Verification {
  try {
    if (secrets.length === 0) {
      return fail('no webhook secret is loaded');
    }
    if (!Buffer.isBuffer(rawBody)) {
      return fail('no request body');
    }
    const picked: Record<string, string> = {};
    for (const name of Object.values(WEBHOOK_HEADERS)) {
      // Node joins a repeated header into one string; given `headersDistinct`, a repeat is an array of several.
      const given = headers[name];
      const value = Array.isArray(given) && given.length === 1 ? given[0] : given;
      if (typeof value !== 'string' || value.trim() === '') {
        return fail(`missing or repeated ${name} header`);
      }
      picked[name] = value;
    }
    if (!TIMESTAMP.test(picked[WEBHOOK_HEADERS.timestamp])) {
      return fail('webhook-timestamp is not whole Unix seconds');
    }
    let reason = 'no matching signature';
    for (const secret of secrets) {
      try {
        // jsonParse off: a body that verifies but is not JSON is still Deck's, and is kept for review.
        new Webhook(secret).verify(rawBody, picked, { jsonParse: false });
        return { ok: true, webhookId: picked[WEBHOOK_HEADERS.id] };
      } catch (error: unknown) {
        reason = error instanceof WebhookVerificationError ? error.message : 'signature check failed';
      }
    }
    return fail(reason);
  } catch {
    return fail('signature check failed');
  }
}
