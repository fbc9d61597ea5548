import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { Clock } from '../common/clock';
import { apiConfig, ApiConfig } from '../config/api.config';
import { CatchUpService } from '../webhooks/catch-up.service';
import { ReconciliationService } from '../webhooks/reconciliation.service';

/**
 * What keeps the mirror right when webhooks fail: catch-up ran recently (within
 * three of its intervals; before its first run, the time since start counts),
 * and the last reconciliation with Deck's objects did not fail.
 */
@Injectable()
export class CatchUpHealthIndicator {
  private readonly startedAtMs: number;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly catchUp: CatchUpService,
    private readonly reconciliation: ReconciliationService,
    private readonly clock: Clock,
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
  ) {
    this.startedAtMs = clock.nowMs();
  }

  async recent<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const check = this.indicators.check(key);
    const { last_run_at, watermark, last_error } = await this.catchUp.status();
    const lastRunMs = last_run_at === null ? Number.NaN : Date.parse(last_run_at);
    const sinceMs = this.clock.nowMs() - (Number.isNaN(lastRunMs) ? this.startedAtMs : lastRunMs);
    const maxLagMs = 3 * this.config.catchUpIntervalMs;
    const data = { last_run_at, lag_ms: sinceMs, max_lag_ms: maxLagMs, newest_event_at: watermark, last_error };
    return sinceMs < maxLagMs ? check.up(data) : check.down(data);
  }

  /** The last pass's figures; down while the last pass failed (Deck unreachable, typically). */
  reconciled<const Key extends string>(key: Key): HealthIndicatorResult<Key> {
    const check = this.indicators.check(key);
    const { running: _running, ...data } = this.reconciliation.status();
    return data.last_error === null ? check.up(data) : check.down(data);
  }
}
