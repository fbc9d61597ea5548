import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';

import { Clock } from '../common/clock';
import { apiConfig, ApiConfig } from '../config/api.config';
import { SETTING_KEYS, SettingsService } from '../settings/settings.service';

/**
 * Catch-up (reading GET /v2/events for deliveries that failed) ran recently:
 * within three of its intervals. Before its first run, the time since start counts.
 */
@Injectable()
export class CatchUpHealthIndicator {
  private readonly startedAtMs: number;

  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly settings: SettingsService,
    private readonly clock: Clock,
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
  ) {
    this.startedAtMs = clock.nowMs();
  }

  async recent<const Key extends string>(key: Key): Promise<HealthIndicatorResult<Key>> {
    const check = this.indicators.check(key);
    const lastRunAt = await this.settings.get(SETTING_KEYS.catchUpLastRunAt);
    const lastRunMs = lastRunAt === null ? Number.NaN : Date.parse(lastRunAt);
    const sinceMs = this.clock.nowMs() - (Number.isNaN(lastRunMs) ? this.startedAtMs : lastRunMs);
    const maxLagMs = 3 * this.config.catchUpIntervalMs;
    const data = { last_run_at: lastRunAt, lag_ms: sinceMs, max_lag_ms: maxLagMs };
    return sinceMs < maxLagMs ? check.up(data) : check.down(data);
  }
}
