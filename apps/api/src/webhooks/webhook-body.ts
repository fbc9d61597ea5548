import type { RawBodyRequest } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { raw } from 'express';
import type { IncomingMessage } from 'node:http';

import type { DeckEvent } from '@app/deck';

import { jsonShapeProblem, jsonTextDepth, MAX_JSON_DEPTH } from '../common/json-shape';
import { UnparsedBody } from './inbox-event';

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

/**
 * A verified body as the inbox takes it: the parsed JSON, or, for bytes that
 * are not JSON or nest too deeply to store or apply safely (measured before
 * parsing), an UnparsedBody the inbox keeps as held with the reason.
 */
export function parseWebhookBody(text: string): unknown {
  if (jsonTextDepth(text) > MAX_JSON_DEPTH) {
    return new UnparsedBody(text, `the signed body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return new UnparsedBody(text);
  }
}

/**
 * An event read from Deck's list as the inbox takes it: one that nests too
 * deeply or carries text no encoder can write is held with the reason, instead
 * of breaking the inbox's copies on every catch-up run.
 */
export function listedEventBody(event: DeckEvent): unknown {
  const problem = jsonShapeProblem(event);
  if (!problem) {
    return event;
  }
  const summary = JSON.stringify({ id: event.id, type: event.type, created_at: event.created_at });
  const reason =
    problem.kind === 'too_deep'
      ? `the listed event nests deeper than ${MAX_JSON_DEPTH} levels`
      : `the listed event has malformed text in ${problem.field}`;
  return new UnparsedBody(summary, reason);
}
