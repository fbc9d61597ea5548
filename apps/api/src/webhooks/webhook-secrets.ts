import { Inject, Injectable } from '@nestjs/common';

import { apiConfig, ApiConfig } from '../config/api.config';

/**
 * The secrets that sign Deck's deliveries, in memory only (never in the
 * database, never in a log): DECK_WEBHOOK_SECRET and DECK_WEBHOOK_SECRET_PREVIOUS
 * from the configuration, or, against the sandbox, the secret of the
 * destination the api registered for itself.
 */
@Injectable()
export class WebhookSecrets {
  private current: string | null;
  private previous: string | null;
  readonly fromConfig: boolean;

  constructor(@Inject(apiConfig.KEY) config: ApiConfig) {
    this.current = config.deck.webhookSecret;
    this.previous = config.deck.previousWebhookSecret;
    this.fromConfig = this.current !== null || this.previous !== null;
  }

  /** Current first, then the previous one (still signing for 24 h after a rotation). */
  list(): string[] {
    return [this.current, this.previous].filter((s): s is string => s !== null);
  }

  get loaded(): boolean {
    return this.current !== null;
  }

  get previousLoaded(): boolean {
    return this.previous !== null;
  }

  /** The registered destination's secrets, read from the sandbox. */
  load(current: string, previous: string | null): void {
    this.current = current;
    this.previous = previous;
  }
}
