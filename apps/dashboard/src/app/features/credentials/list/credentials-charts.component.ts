import { HttpClient, HttpParams } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import type { ChartConfiguration } from 'chart.js';
import { filter, Subscription } from 'rxjs';

import type { SourceCountsView, StatusChangeSeries, StatusChangeWindow } from '@app/contracts';
import type { CredentialStatus } from '@app/deck';

import { RealtimeService } from '../../../core/realtime/realtime.service';
import { ChartComponent } from '../../../shared/chart.component';
import { problemSentence } from '../../../core/http/api-problem';

/** Charts follow the live feed at most this often (each refresh is two queries over the whole mirror). */
export const CHART_REFRESH_MS = 30_000;
/** After the first change of a burst, wait this long so one refresh covers the burst. */
const CHART_SETTLE_MS = 3_000;

const STATUS_ORDER: readonly CredentialStatus[] = ['verified', 'invalid', 'unverified', 'deleted'];
const STATUS_LOOK: Record<CredentialStatus, { label: string; color: string; pattern: 'solid' | 'stripes' | 'dots' }> = {
  verified: { label: 'Verified (solid)', color: '#1b6e35', pattern: 'solid' },
  invalid: { label: 'Invalid (striped)', color: '#b3261e', pattern: 'stripes' },
  unverified: { label: 'Unverified (dotted)', color: '#a86400', pattern: 'dots' },
  deleted: { label: 'Deleted (grey)', color: '#7b8494', pattern: 'solid' },
};

const hourFormat = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayHourFormat = new Intl.DateTimeFormat('en', {
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A fill that tells series apart without colour: stripes or dots on white; plain colour where canvas is missing. */
function fill(color: string, pattern: 'solid' | 'stripes' | 'dots'): string | CanvasPattern {
  if (pattern === 'solid' || typeof document === 'undefined') {
    return color;
  }
  const tile = document.createElement('canvas');
  tile.width = 8;
  tile.height = 8;
  let context: CanvasRenderingContext2D | null = null;
  try {
    context = tile.getContext('2d');
  } catch {
    context = null;
  }
  if (!context) {
    return color;
  }
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, 8, 8);
  context.fillStyle = color;
  context.strokeStyle = color;
  if (pattern === 'stripes') {
    context.lineWidth = 3;
    context.beginPath();
    context.moveTo(-2, 10);
    context.lineTo(10, -2);
    context.moveTo(-2, 2);
    context.lineTo(2, -2);
    context.moveTo(6, 10);
    context.lineTo(10, 6);
    context.stroke();
  } else {
    context.beginPath();
    context.arc(4, 4, 2.2, 0, Math.PI * 2);
    context.fill();
  }
  return context.createPattern(tile, 'repeat') ?? color;
}

interface Loadable<T> {
  data: T | null;
  error: string | null;
}

/**
 * The pictures above the credentials table: verified / invalid per hour over
 * the last day or week, and credentials by source and status. Each has its
 * figures in text for screen readers. They refresh on a resync and, while
 * changes arrive, at most every {@link CHART_REFRESH_MS}.
 */
@Component({
  selector: 'dh-credentials-charts',
  imports: [ChartComponent, MatButtonModule, MatButtonToggleModule],
  templateUrl: './credentials-charts.component.html',
  styleUrl: './credentials-charts.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CredentialsChartsComponent {
  protected readonly window = signal<StatusChangeWindow>('day');
  protected readonly series = signal<Loadable<StatusChangeSeries>>({ data: null, error: null });
  protected readonly bySource = signal<Loadable<SourceCountsView[]>>({ data: null, error: null });

  protected readonly windowLabel = computed(() => (this.window() === 'day' ? 'last 24 hours' : 'last 7 days'));
  protected readonly changeTotals = computed(() => {
    const buckets = this.series().data?.buckets ?? [];
    let verified = 0;
    let invalid = 0;
    let busiest: { hour: string; total: number } | null = null;
    for (const bucket of buckets) {
      verified += bucket.verified;
      invalid += bucket.invalid;
      const total = bucket.verified + bucket.invalid;
      if (total > 0 && (!busiest || total > busiest.total)) {
        busiest = { hour: bucket.hour, total };
      }
    }
    return { verified, invalid, busiest: busiest ? { ...busiest, label: this.hourLabel(busiest.hour) } : null };
  });
  /** Only the hours with changes: the hidden table stays short enough to read. */
  protected readonly busyHours = computed(() =>
    (this.series().data?.buckets ?? [])
      .filter((b) => b.verified + b.invalid > 0)
      .map((b) => ({ ...b, label: this.hourLabel(b.hour) })),
  );
  protected readonly changesConfig = computed<ChartConfiguration>(() => {
    const buckets = this.series().data?.buckets ?? [];
    return {
      type: 'bar',
      data: {
        labels: buckets.map((b) => this.hourLabel(b.hour)),
        datasets: (['verified', 'invalid'] as const).map((status) => ({
          label: STATUS_LOOK[status].label,
          data: buckets.map((b) => b[status]),
          backgroundColor: this.fills[status],
          borderColor: STATUS_LOOK[status].color,
          borderWidth: 1,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: {
            stacked: true,
            ticks: { autoSkip: true, maxTicksLimit: this.window() === 'day' ? 8 : 7, maxRotation: 0 },
          },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    };
  });
  protected readonly sourceRows = computed(() =>
    (this.bySource().data ?? []).map((view) => ({ ...view, label: view.name || view.source_id })),
  );
  protected readonly sourcesConfig = computed<ChartConfiguration>(() => {
    const rows = this.sourceRows();
    return {
      type: 'bar',
      data: {
        labels: rows.map((row) => row.label),
        datasets: STATUS_ORDER.map((status) => ({
          label: STATUS_LOOK[status].label,
          data: rows.map((row) => row.counts[status]),
          backgroundColor: this.fills[status],
          borderColor: STATUS_LOOK[status].color,
          borderWidth: 1,
        })),
      },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
          y: { stacked: true },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    };
  });
  protected readonly sourcesHeight = computed(() => Math.max(180, 90 + this.sourceRows().length * 34));

  private readonly fills: Record<CredentialStatus, string | CanvasPattern> = {
    verified: fill(STATUS_LOOK.verified.color, STATUS_LOOK.verified.pattern),
    invalid: fill(STATUS_LOOK.invalid.color, STATUS_LOOK.invalid.pattern),
    unverified: fill(STATUS_LOOK.unverified.color, STATUS_LOOK.unverified.pattern),
    deleted: fill(STATUS_LOOK.deleted.color, STATUS_LOOK.deleted.pattern),
  };
  private readonly http = inject(HttpClient);
  private readonly realtime = inject(RealtimeService);
  private seriesRequest: Subscription | null = null;
  private sourcesRequest: Subscription | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  private lastLoadAt = 0;

  constructor() {
    this.realtime.refetch$.pipe(takeUntilDestroyed()).subscribe(() => this.loadAll());
    this.realtime.changes$
      .pipe(
        filter((change) => change.kind === 'credential'),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.refreshSoon());
    inject(DestroyRef).onDestroy(() => {
      if (this.refreshTimer) {
        clearTimeout(this.refreshTimer);
      }
      this.seriesRequest?.unsubscribe();
      this.sourcesRequest?.unsubscribe();
    });
    this.loadAll();
  }

  protected showWindow(window: StatusChangeWindow): void {
    if (window !== this.window()) {
      this.window.set(window);
      this.series.set({ data: null, error: null });
      this.loadSeries();
    }
  }

  protected retry(): void {
    this.loadAll();
  }

  private refreshSoon(): void {
    if (this.refreshTimer) {
      return;
    }
    const wait = Math.max(CHART_SETTLE_MS, this.lastLoadAt + CHART_REFRESH_MS - Date.now());
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.loadAll();
    }, wait);
  }

  private loadAll(): void {
    this.lastLoadAt = Date.now();
    this.loadSeries();
    this.loadSources();
  }

  private loadSeries(): void {
    this.seriesRequest?.unsubscribe();
    const window = this.window();
    const params = new HttpParams().set('window', window);
    this.seriesRequest = this.http.get<StatusChangeSeries>('/api/events/status-changes', { params }).subscribe({
      next: (data) => this.series.set({ data, error: null }),
      error: (error: unknown) => this.series.update((s) => ({ data: s.data, error: problemSentence(error) })),
    });
  }

  private loadSources(): void {
    this.sourcesRequest?.unsubscribe();
    this.sourcesRequest = this.http.get<SourceCountsView[]>('/api/credentials/by-source').subscribe({
      next: (data) => this.bySource.set({ data, error: null }),
      error: (error: unknown) => this.bySource.update((s) => ({ data: s.data, error: problemSentence(error) })),
    });
  }

  /** "14:00" over a day, "Tue 14:00" over a week. */
  private hourLabel(iso: string): string {
    const window = this.series().data?.window ?? this.window();
    return (window === 'day' ? hourFormat : dayHourFormat).format(new Date(iso));
  }
}
