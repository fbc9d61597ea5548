import type { RawBodyRequest } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { raw } from 'express';
import type { IncomingMessage } from 'node:http';

export const DECK_WEBHOOK_PATH = '/webhooks/deck';

/** Standard Webhooks suggests payloads under 20 kB; this leaves headroom without inviting abuse. */
const WEBHOOK_BODY_LIMIT = '256kb';

/**
 * Keeps Deck's webhook bodies as raw bytes, whatever their content type, so the
 * signature is checked over exactly what was signed and a signed body that is
 * not JSON reaches the inbox (to be kept for review) instead of failing in the
 * JSON parser with a 400 that would make Deck retry and switch us off.
 * Must be registered before the JSON body parser.
 */
export function useWebhookBodyParser(app: NestExpressApplication): void {
  app.use(
    DECK_WEBHOOK_PATH,
    raw({
      type: () => true,
      limit: WEBHOOK_BODY_LIMIT,
      verify: (req: RawBodyRequest<IncomingMessage>, _res, buf: Buffer) => {
        req.rawBody = buf;
      },
    }),
  );
}
