import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

import type { DeckEvent } from '@app/deck';
import { Reader, Transactor } from '@app/sqlite';

import { Clock } from '../common/clock';
import { apiConfig, ApiConfig } from '../config/api.config';
import { DeckClient } from '../deck/deck-client.service';
import { SETTING_KEYS, SettingsService } from '../settings/settings.service';
import { InboxService } from './inbox.service';
import { listedEventBody } from './webhook-body';
import { WebhookRegistration } from './webhook-registration.service';

const PAGE_SIZE = 100;
/** Unknown events handed to the inbox at once: one batch each, with a shutdown check between. */
const RECEIVE_TOGETHER = 100;

/** One catch-up run. */
export interface CatchUpResult {
  ok: boolean;
  /** Events Deck listed (known ones included). */
  read: number;
  /** Of those, the ones the inbox did not have yet. */
  recovered: number;
  error: string | null;
}

/** For /health: how far behind Deck's event list the mirror may be. */
export interface CatchUpStatus {
  /** `created_at` of the newest Deck event read. */
  watermark: string | null;
  /** When a run last read Deck's list to the end. */
  last_run_at: string | null;
  /** Why the last run failed, until one succeeds. */
  last_error: string | null;
  running: boolean;
}

/**
 * Deck gives up on a delivery after its retries and then switches the
 * destination off, so webhooks alone cannot be the source of truth. At start
 * (after the registration attempt) and on a timer this reads GET /v2/events,
 * newest first, and feeds every event it has not seen through the same inbox
 * as the webhook, oldest first. Deck promises no order between `created_at`
 * and commit, so an event can be listed above ones already read while
 * carrying an older time: a run pages down until a whole page is already in
 * the inbox AND it has passed the previous run's newest time less an overlap.
 * Re-reading known events costs one look-up each; missing one costs the mirror.
 */
@Injectable()
export class CatchUpService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(CatchUpService.name);
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private running = false;
  private stopped = false;
  private lastError: string | null = null;
  private settleFirstRun!: () => void;
  /** Settles once the start-up run is over, whatever its result. */
  readonly firstRun = new Promise<void>((resolve) => (this.settleFirstRun = resolve));

  constructor(
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
    private readonly deck: DeckClient,
    private readonly inbox: InboxService,
    private readonly settings: SettingsService,
    private readonly transactor: Transactor,
    private readonly reader: Reader,
    private readonly clock: Clock,
    private readonly registration: WebhookRegistration,
  ) {}

  onApplicationBootstrap(): void {
    void this.registration.firstAttempt
      .then(() => (this.stopped ? undefined : this.runNow()))
      .finally(() => this.settleFirstRun());
    this.timer = setInterval(() => {
      // Runs never overlap: a tick while one is running or waiting is skipped.
      if (this.queued === 0) {
        void this.runNow();
      }
    }, this.config.catchUpIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.settleFirstRun();
    if (this.timer) {
      clearInterval(this.timer);
    }
    await this.chain;
  }

  /** A run after any under way; it reads everything Deck has at the time it starts. Never rejects. */
  runNow(): Promise<CatchUpResult> {
    this.queued++;
    const next = this.chain.then(() => this.run()).finally(() => this.queued--);
    this.chain = next;
    return next;
  }

  async status(): Promise<CatchUpStatus> {
    // One read: a run writes both in one transaction, so they describe the same run.
    const [watermark, lastRunAt] = await this.reader.read(async (manager) => [
      await this.settings.get(SETTING_KEYS.catchUpWatermark, manager),
      await this.settings.get(SETTING_KEYS.catchUpLastRunAt, manager),
    ]);
    return { watermark, last_run_at: lastRunAt, last_error: this.lastError, running: this.running };
  }

  private async run(): Promise<CatchUpResult> {
    if (this.stopped) {
      return { ok: false, read: 0, recovered: 0, error: 'shutting down' };
    }
    this.running = true;
    try {
      const watermark = await this.settings.get(SETTING_KEYS.catchUpWatermark);
      const { read, unknown, newest } = await this.eventsSince(watermark);
      let recovered = 0;
      for (let from = 0; from < unknown.length; from += RECEIVE_TOGETHER) {
        if (this.stopped) {
          return { ok: false, read, recovered, error: 'shutting down' };
        }
        // Handed over together (in order), so the inbox writes them as one batch.
        const chunk = unknown.slice(from, from + RECEIVE_TOGETHER);
        const results = await Promise.all(
          chunk.map((event) => this.inbox.receive(listedEventBody(event), 'catch_up', event.id)),
        );
        recovered += results.filter((result) => !result.duplicate).length;
      }
      await this.transactor.run(async (manager) => {
        if (newest !== null) {
          await this.settings.set(SETTING_KEYS.catchUpWatermark, newest, manager);
        }
        await this.settings.set(SETTING_KEYS.catchUpLastRunAt, this.clock.iso(), manager);
      });
      if (recovered > 0) {
        this.logger.log(`Catch-up recovered ${recovered} event(s) from GET /v2/events`);
      }
      this.lastError = null;
      return { ok: true, read, recovered, error: null };
    } catch (error: unknown) {
      this.lastError = error instanceof Error ? error.message : 'unknown error';
      this.logger.warn(
        `Catch-up from GET /v2/events failed (${this.lastError}); next try in ${this.config.catchUpIntervalMs} ms`,
      );
      return { ok: false, read: 0, recovered: 0, error: this.lastError };
    } finally {
      this.running = false;
    }
  }

  /**
   * Deck's newest events down to where a run has nothing left to find: a page
   * wholly in the inbox whose oldest event is older than `watermark` less the
   * overlap; everything, the first time. Unknown events only, oldest first.
   */
  private async eventsSince(
    watermark: string | null,
  ): Promise<{ read: number; unknown: DeckEvent[]; newest: string | null }> {
    const frontier = watermark === null ? null : Date.parse(watermark) - this.config.catchUpOverlapMs;
    const unknown: DeckEvent[] = [];
    let newest = watermark;
    let read = 0;
    let cursor: string | undefined;
    do {
      const page = await this.deck.listEvents({ cursor, limit: PAGE_SIZE });
      read += page.data.length;
      const known = await this.inbox.known(page.data.map((event) => event.id));
      let oldestMs = Number.POSITIVE_INFINITY;
      for (const event of page.data) {
        const at = Date.parse(event.created_at);
        if (!Number.isNaN(at)) {
          oldestMs = Math.min(oldestMs, at);
          if (newest === null || at > Date.parse(newest)) {
            newest = new Date(at).toISOString();
          }
        }
        if (!known.has(event.id)) {
          unknown.push(event);
        }
      }
      const pageAllKnown = page.data.every((event) => known.has(event.id));
      const pastFrontier = frontier !== null && oldestMs < frontier;
      cursor = page.has_more && page.next_cursor && !(pageAllKnown && pastFrontier) ? page.next_cursor : undefined;
    } while (cursor !== undefined && !this.stopped);
    // Oldest first (ties in the order Deck committed them), so the projection sees a run's steps in order.
    unknown.reverse().sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
    return { read, unknown, newest };
  }
}
