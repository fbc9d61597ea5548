import type { IncomingMessage } from 'node:http';

import { ID_PREFIX } from '@app/deck';

import { randomBase62 } from './ids';

type WithId = IncomingMessage & { id?: unknown };

/** pino-http's `genReqId`: every request gets a Deck-style `req_…` id, shared by its logs and its body. */
export function newRequestId(): string {
  return ID_PREFIX.request + randomBase62(24);
}

export function requestIdOf(request: IncomingMessage): string {
  const withId = request as WithId;
  if (typeof withId.id !== 'string') {
    withId.id = newRequestId();
  }
  return withId.id;
}
