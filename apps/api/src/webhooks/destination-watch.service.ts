import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import type { DeckEventDestination } from '@app/deck';

import { Clock } from '../common/clock';
import { apiConfig, ApiConfig } from '../config/api.config';
import { DeckClient } from '../deck/deck-client.service';
import { CatchUpService } from './catch-up.service';
import { DECK_WEBHOOK_PATH } from './webhook-body';
import { WebhookRegistration } from './webhook-registration.service';

/** For /health and the console's header. */
export interface DestinationStatus {
  /** The destination delivering to this api: the one it registered (sandbox), or the one Deck has for its URL. */
  destination_id: string | null;
  /** `unknown` until the first check, or when Deck has no destination for this api's URL. */
  status: DeckEventDestination['status'] | 'unknown';
  /** Times the api switched its sandbox destination back on. */
  reactivations: number;
  last_checked_at: string | null;
  /** Why the last check failed, until one succeeds. */
  last_error: string | null;
}

/**
 * Deck switches a destination off once its retries are spent, and only its
 * owner can switch it back on. Against the sandbox the api does so itself;
 * against real Deck it says so loudly (an error log line, /health, the
 * console's header). Either way catch-up runs at once for what was missed.
 */
@Injectable()
export class DestinationWatch implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DestinationWatch.name);
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<DestinationStatus> | null = null;
  private stopped = false;
  private state: DestinationStatus = {
    destination_id: null,
    status: 'unknown',
    reactivations: 0,
    last_checked_at: null,
    last_error: null,
  };

  constructor(
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
    private readonly deck: DeckClient,
    private readonly registration: WebhookRegistration,
    private readonly catchUp: CatchUpService,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    void this.registration.firstAttempt.then(() => (this.stopped ? undefined : this.checkNow()));
    this.timer = setInterval(() => void this.checkNow(), this.config.destinationCheckIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) {
      clearInterval(this.timer);
    }
    await this.checking;
  }

  status(): DestinationStatus {
    return { ...this.state };
  }

  /** One check; concurrent callers share it. Never rejects. */
  checkNow(): Promise<DestinationStatus> {
    this.checking ??= this.check().finally(() => (this.checking = null));
    return this.checking;
  }

  private async check(): Promise<DestinationStatus> {
    try {
      const destination = await this.find();
      const previous = this.state.status;
      this.state = {
        ...this.state,
        destination_id: destination?.id ?? null,
        status: destination ? destination.status : 'unknown',
        last_checked_at: this.clock.iso(),
        last_error: null,
      };
      if (destination?.status === 'inactive' && !this.stopped) {
        await this.switchedOff(destination, previous);
      }
    } catch (error: unknown) {
      this.state = { ...this.state, last_error: error instanceof Error ? error.message : 'unknown error' };
    }
    return this.status();
  }

  private async switchedOff(destination: DeckEventDestination, previous: DestinationStatus['status']): Promise<void> {
    if (this.config.deck.isSandbox) {
      await this.deck.updateEventDestination(destination.id, { status: 'active' });
      this.state = { ...this.state, status: 'active', reactivations: this.state.reactivations + 1 };
      this.logger.warn(`The sandbox had switched webhook destination ${destination.id} off; switched it back on`);
    } else if (previous !== 'inactive') {
      this.logger.error(
        `Deck switched webhook destination ${destination.id} off after failed deliveries: no webhooks arrive until ` +
          "it is switched back on in Deck's dashboard. Catch-up from GET /v2/events keeps the mirror current meanwhile.",
      );
    }
    void this.catchUp.runNow();
  }

  /** The destination Deck delivers to this api from: the registered one, else the one whose URL is ours. */
  private async find(): Promise<DeckEventDestination | null> {
    const registered = this.registration.status().destination_id;
    if (registered) {
      return this.deck.getEventDestination(registered);
    }
    const url = `${this.config.publicUrl}${DECK_WEBHOOK_PATH}`;
    const known = this.state.destination_id;
    const destinations = await this.deck.listEventDestinations();
    return (
      destinations.data.find((d) => d.id === known && d.webhook?.url === url) ??
      destinations.data.find((d) => d.webhook?.url === url) ??
      null
    );
  }
}
