import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import { apiConfig, ApiConfig } from '../config/api.config';
import { DeckClient } from '../deck/deck-client.service';
import { SETTING_KEYS, SettingsService } from '../settings/settings.service';
import { DECK_WEBHOOK_PATH } from './webhook-body';
import { WebhookSecrets } from './webhook-secrets';

/** For /health: where deliveries are verified from. Never a secret. */
export interface WebhookStatus {
  /** `config`: DECK_WEBHOOK_SECRET; `sandbox`: the api registered its own destination; `none`: every delivery is refused. */
  mode: 'config' | 'sandbox' | 'none';
  /** The destination the api registered at the sandbox (sandbox mode), or the one remembered from an earlier run. */
  destination_id: string | null;
  secret_loaded: boolean;
  previous_secret_loaded: boolean;
  /** Sandbox mode: why the last registration attempt failed, until one succeeds. */
  last_error: string | null;
}

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 30_000;

interface SandboxSecret {
  secret: string;
  previous_secret: string | null;
}

function isSandboxSecret(body: unknown): body is SandboxSecret {
  const candidate = body as Partial<SandboxSecret> | null;
  return typeof candidate?.secret === 'string' && candidate.secret.startsWith('whsec_');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : 'unknown error';
}

/**
 * Where the webhook signing secret comes from. With DECK_WEBHOOK_SECRET, from
 * there. Against the sandbox without one, the api registers its own
 * destination at start (or finds the one it registered before), reads its
 * secret from the sandbox's control plane and keeps it in memory only; the
 * database keeps just the destination's id. That runs in the background and
 * retries, since the sandbox may come up after the api. Against real Deck
 * without a secret nothing can be verified: one error at start, and every
 * delivery is refused (catch-up still keeps the mirror current).
 */
@Injectable()
export class WebhookRegistration implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WebhookRegistration.name);
  private destinationId: string | null = null;
  private lastError: string | null = null;
  private stopped = false;
  private loop: Promise<void> = Promise.resolve();
  private sleeping: { timer: NodeJS.Timeout; wake: () => void } | null = null;
  private settleFirst!: () => void;
  /** Settles once the first registration attempt is over, whatever its result (at once when there is none). */
  readonly firstAttempt = new Promise<void>((resolve) => (this.settleFirst = resolve));

  constructor(
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
    private readonly secrets: WebhookSecrets,
    private readonly settings: SettingsService,
    private readonly deck: DeckClient,
  ) {}

  onApplicationBootstrap(): void {
    if (this.secrets.fromConfig) {
      this.settleFirst();
      return;
    }
    if (!this.config.deck.isSandbox) {
      this.logger.error(
        'DECK_WEBHOOK_SECRET is not set: every webhook delivery will be refused with 401. ' +
          "Set it to the destination's whsec_ secret; until then catch-up from GET /v2/events keeps the mirror current.",
      );
      this.settleFirst();
      return;
    }
    this.loop = this.registerWithRetries();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.wake();
    }
    this.settleFirst();
    await this.loop;
  }

  /**
   * Registers again after the sandbox was reset under us (the reset deleted our
   * destination); resolves once the first attempt is over, retrying in the background.
   */
  async renew(): Promise<void> {
    if (this.secrets.fromConfig || !this.config.deck.isSandbox || this.stopped) {
      return;
    }
    await this.loop;
    let firstOver!: () => void;
    const first = new Promise<void>((resolve) => (firstOver = resolve));
    this.loop = this.registerWithRetries(firstOver);
    await first;
  }

  status(): WebhookStatus {
    return {
      mode: this.secrets.fromConfig ? 'config' : this.config.deck.isSandbox ? 'sandbox' : 'none',
      destination_id: this.destinationId,
      secret_loaded: this.secrets.loaded,
      previous_secret_loaded: this.secrets.previousLoaded,
      last_error: this.lastError,
    };
  }

  private async registerWithRetries(firstOver: () => void = () => this.settleFirst()): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.register();
        this.lastError = null;
        return;
      } catch (error: unknown) {
        this.lastError = describe(error);
        this.logger.warn(
          `Could not register the api's webhook destination at the sandbox (attempt ${attempt}): ${this.lastError}`,
        );
      } finally {
        firstOver();
      }
      await this.sleep(Math.min(FIRST_RETRY_MS * 2 ** (attempt - 1), MAX_RETRY_MS));
    }
  }

  private async register(): Promise<void> {
    const url = `${this.config.publicUrl}${DECK_WEBHOOK_PATH}`;
    const storedId = await this.settings.get(SETTING_KEYS.webhookDestinationId);
    if (storedId && (await this.reuse(storedId, url))) {
      return;
    }
    const created = await this.deck.createEventDestination({ name: 'Deckhand api', events: ['*'], webhook: { url } });
    const secret = created.webhook?.secret;
    if (typeof secret !== 'string' || !secret.startsWith('whsec_')) {
      throw new Error('the sandbox answered the destination without its signing secret');
    }
    // Loaded before anything is stored: the first deliveries may already be on their way.
    this.secrets.load(secret, null);
    this.destinationId = created.id;
    await this.settings.set(SETTING_KEYS.webhookDestinationId, created.id);
    this.logger.log(`Registered webhook destination ${created.id} for ${url}`);
  }

  /** The destination registered before, if the sandbox still has it: its secret, and active at our URL. */
  private async reuse(id: string, url: string): Promise<boolean> {
    const origin = new URL(this.config.deck.url).origin;
    const answer = await this.deck.raw('GET', `${origin}/sandbox/event-destinations/${encodeURIComponent(id)}/secret`);
    if (answer.status === 404) {
      this.logger.log(`The sandbox no longer has webhook destination ${id}; registering a new one`);
      return false;
    }
    if (answer.status !== 200 || !isSandboxSecret(answer.body)) {
      throw new Error(`the sandbox answered HTTP ${answer.status} for the destination's secret`);
    }
    const destination = await this.deck.getEventDestination(id);
    if (destination.status !== 'active' || destination.webhook?.url !== url) {
      await this.deck.updateEventDestination(id, { status: 'active', webhook: { url } });
    }
    this.secrets.load(answer.body.secret, answer.body.previous_secret ?? null);
    this.destinationId = id;
    this.logger.log(`Using webhook destination ${id} for ${url}`);
    return true;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.sleeping = { timer, wake: resolve };
    });
  }
}
