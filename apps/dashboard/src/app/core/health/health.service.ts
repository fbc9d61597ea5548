import { HttpClient } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';

import type { HealthReport } from '@app/contracts';

import type { ApiProblem } from '../http/api-problem';

const POLL_MS = 15_000;

/** One thing the header says about the system, in words. */
export interface HealthItem {
  key: 'deck' | 'webhook_destination' | 'catch_up' | 'reconciliation';
  label: string;
  ok: boolean;
  detail: string;
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 90 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/** `/health`, polled while the console is open: health is a summary, not a live feed. */
@Injectable({ providedIn: 'root' })
export class HealthService {
  readonly report = signal<HealthReport | null>(null);
  readonly unreachable = signal(false);
  readonly items = computed<HealthItem[]>(() => {
    const details = this.report()?.details;
    if (!details) {
      return [];
    }
    const deck = details.deck;
    const destination = details.webhook_destination;
    const catchUp = details.catch_up;
    const reconciliation = details.reconciliation;
    const reactivated = destination?.reactivations ? ` (switched back on ${destination.reactivations}×)` : '';
    return [
      {
        key: 'deck',
        label: 'Deck',
        ok: deck?.status === 'up',
        detail: deck?.status === 'up' ? 'Reachable' : `Not reachable${deck?.message ? `: ${deck.message}` : ''}`,
      },
      {
        key: 'webhook_destination',
        label: 'Webhooks',
        ok: destination?.status === 'up',
        detail:
          destination?.status === 'up'
            ? destination.message === 'not registered'
              ? 'No destination registered'
              : `Destination active${reactivated}`
            : `Destination ${destination?.destination_status ?? 'not reachable'}: events arrive only by catch-up`,
      },
      {
        key: 'catch_up',
        label: 'Catch-up',
        ok: catchUp?.status === 'up',
        detail: catchUp ? `Last run ${minutes(catchUp.lag_ms)} ago` : 'Unknown',
      },
      ...(reconciliation
        ? [
            {
              key: 'reconciliation' as const,
              label: 'Reconciliation',
              ok: reconciliation.status === 'up',
              detail: reconciliation.last_error
                ? `Last pass failed: ${reconciliation.last_error}`
                : reconciliation.last_run_at
                  ? `${reconciliation.checked} open checked with Deck, ${reconciliation.repaired_total} repaired since start`
                  : 'First pass after catch-up',
            },
          ]
        : []),
    ];
  });
  readonly healthy = computed(() => this.report()?.status === 'ok');

  private readonly http = inject(HttpClient);
  private timer: ReturnType<typeof setInterval> | null = null;

  start(destroyRef: DestroyRef): void {
    if (this.timer) {
      return;
    }
    this.poll();
    this.timer = setInterval(() => this.poll(), POLL_MS);
    destroyRef.onDestroy(() => {
      if (this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    });
  }

  private poll(): void {
    this.http.get<HealthReport>('/health').subscribe({
      next: (report) => {
        this.report.set(report);
        this.unreachable.set(false);
      },
      // A 503 still carries the report, naming what is down.
      error: (problem: ApiProblem) => {
        const body = problem.body as HealthReport | undefined;
        if (problem.status === 503 && body?.details) {
          this.report.set(body);
        }
        this.unreachable.set(problem.status === 0);
      },
    });
  }
}
