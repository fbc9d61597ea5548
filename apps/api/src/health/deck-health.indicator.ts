import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { Clock } from '../common/clock';
import { DeckClient } from '../deck/deck-client.service';
import { SETTING_KEYS, SettingsService } from '../settings/settings.service';
import { DestinationWatch } from '../webhooks/destination-watch.service';
import { SharedResults } from './shared-result';

/** A health check answers quickly even when Deck hangs. */
export const DECK_CHECK_BUDGET_MS = 2000;

/**
 * How long one Deck answer serves every /health caller: /health is public, and
 * each uncached call would spend Deck's 200-per-10 s allowance that end users need.
 */
export const DECK_CHECK_CACHE_MS = 5000;

type DeckAnswer = { ok: true; body: unknown } | { ok: false; problem: string };

/** Deck as the api sees it: reachable with our key, and our webhook destination still active. */
@Injectable()
export class DeckHealthIndicator {
  private readonly answers: SharedResults<DeckAnswer>;

  constructor(
    private readonly deck: DeckClient,
    private readonly indicators: HealthIndicatorService,
    private readonly settings: SettingsService,
    private readonly watch: DestinationWatch,
    clock: Clock,
  ) {
    this.answers = new SharedResults(DECK_CHECK_CACHE_MS, () => clock.nowMs());
  }

  /** `GET /test` answers 2xx: Deck is up and takes our key. */
  async reachable<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const check = this.indicators.check(key);
    const answer = await this.get('/test');
    return answer.ok ? check.up() : check.down({ message: answer.problem });
  }

  /**
   * The destination delivering to this api is `active`: the one it registered,
   * asked now (shared for a few seconds), else the one the destination watch
   * found at Deck by this api's URL. None at all is reported, not failed.
   */
  async destinationActive<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const check = this.indicators.check(key);
    const watched = this.watch.status();
    const extra: Record<string, number> = watched.reactivations > 0 ? { reactivations: watched.reactivations } : {};
    const id = await this.settings.get(SETTING_KEYS.webhookDestinationId);
    if (!id) {
      if (!watched.destination_id) {
        return check.up({ message: 'not registered' });
      }
      const data: Record<string, unknown> = {
        destination_id: watched.destination_id,
        destination_status: watched.status,
        ...extra,
      };
      return watched.status === 'inactive' ? check.down(data) : check.up(data);
    }
    const answer = await this.get(`/event-destinations/${encodeURIComponent(id)}`);
    if (!answer.ok) {
      return check.down({ message: answer.problem });
    }
    const status = (answer.body as { status?: unknown } | null)?.status;
    const destination_status = typeof status === 'string' ? status : 'unknown';
    return destination_status === 'active'
      ? check.up({ destination_status, ...extra })
      : check.down({ destination_status, ...extra });
  }

  /** Concurrent and recent callers share one request per path. */
  private get(path: string): Promise<DeckAnswer> {
    return this.answers.get(path, () => this.ask(path));
  }

  private async ask(path: string): Promise<DeckAnswer> {
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), DECK_CHECK_BUDGET_MS);
    });
    try {
      const answer = await Promise.race([this.deck.raw('GET', `${this.deck.baseUrl}${path}`), budget]);
      if (answer === null) {
        return { ok: false, problem: `no answer within ${DECK_CHECK_BUDGET_MS} ms` };
      }
      return answer.status >= 200 && answer.status < 300
        ? { ok: true, body: answer.body }
        : { ok: false, problem: `Deck answered HTTP ${answer.status}` };
    } catch {
      // The error's text may carry the URL; the status page needs only the fact.
      return { ok: false, problem: 'Deck could not be reached' };
    } finally {
      clearTimeout(timer);
    }
  }
}
