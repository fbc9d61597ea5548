import { Injectable, Logger } from '@nestjs/common';

import { ApiError } from '../common/api-error';
import type { Outcome } from './inbox-event';
import { InboxService } from './inbox.service';
import { parseWebhookBody } from './webhook-body';
import { WebhookSecrets } from './webhook-secrets';
import { verifyDelivery } from './webhook-signature';

/** What Deck gets back for a delivery it signed. */
export interface WebhookAck {
  received: true;
  /** The event id was already in the inbox: nothing changed. */
  duplicate: boolean;
  outcome: Outcome;
}

/** The receiving end of `POST /webhooks/deck`: verify, then hand to the inbox. No Deck calls here. */
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    private readonly secrets: WebhookSecrets,
    private readonly inbox: InboxService,
  ) {}

  async receive(
    rawBody: unknown,
    headers: Record<string, string | string[] | undefined>,
    remote: string | undefined,
  ): Promise<WebhookAck> {
    const verification = verifyDelivery(rawBody, headers, this.secrets.list());
    if (!verification.ok) {
      // A security event, logged without the body or the signature (ASVS 16.3.3). Without any
      // secret every delivery fails the same way; that was logged once at start-up.
      const level = this.secrets.loaded ? 'warn' : 'debug';
      this.logger[level](`Refused a webhook delivery from ${remote ?? 'unknown'}: ${verification.reason}`);
      throw new ApiError('signature_invalid', 'The webhook signature is missing or not valid.');
    }
    const body = parseWebhookBody((rawBody as Buffer).toString('utf8'));
    const result = await this.inbox.receive(body, 'webhook', verification.webhookId);
    return { received: true, duplicate: result.duplicate, outcome: result.outcome };
  }
}
