import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

import { ID_PREFIX, IdKind } from '@app/deck';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 text; rejection sampling keeps every character equally likely. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) {
        out += BASE62[byte % 62];
      }
    }
  }
  return out;
}

/** Makes ids and secrets; an injectable so tests can make them predictable. */
@Injectable()
export class IdGenerator {
  /** A Deck id: the kind's prefix and 24 random base62 characters. */
  newId(kind: IdKind): string {
    return ID_PREFIX[kind] + randomBase62(24);
  }

  /** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64 (the spec asks 24–64). */
  newWebhookSecret(): string {
    return ID_PREFIX.webhook_secret + randomBytes(32).toString('base64');
  }
}
