import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';

import type { SourceCountsView, StatusChangeSeries } from '@app/contracts';

import { ChartComponent } from '../../../shared/chart.component';
import { ChartStubComponent } from '../../../../testing/chart-stub';
import { FakeRealtime, fakeRealtime } from '../../../../testing/fake-realtime';
import { aCredential } from '../../../../testing/views';
import { CHART_REFRESH_MS, CredentialsChartsComponent } from './credentials-charts.component';

function series(
  window: 'day' | 'week',
  hours: number,
  busy: Record<number, [number, number]> = {},
): StatusChangeSeries {
  const start = Date.parse('2026-11-30T00:00:00.000Z');
  return {
    window,
    buckets: Array.from({ length: hours }, (_, i) => ({
      hour: new Date(start + i * 3_600_000).toISOString(),
      verified: busy[i]?.[0] ?? 0,
      invalid: busy[i]?.[1] ?? 0,
    })),
  };
}

const BY_SOURCE: SourceCountsView[] = [
  {
    source_id: 'src_bank',
    name: 'Example Bank',
    total: 5,
    counts: { verified: 3, invalid: 1, unverified: 1, deleted: 0 },
  },
  { source_id: 'src_x', name: null, total: 1, counts: { verified: 0, invalid: 0, unverified: 0, deleted: 1 } },
];

describe(CredentialsChartsComponent.name, () => {
  let fixture: ComponentFixture<CredentialsChartsComponent>;
  let http: HttpTestingController;
  let realtime: FakeRealtime;

  function root(): HTMLElement {
    return fixture.nativeElement as HTMLElement;
  }

  function flushBoth(window: 'day' | 'week' = 'day', busy: Record<number, [number, number]> = {}): void {
    http
      .expectOne((r) => r.url === '/api/events/status-changes' && r.params.get('window') === window)
      .flush(series(window, window === 'day' ? 24 : 168, busy));
    http.expectOne('/api/credentials/by-source').flush(BY_SOURCE);
  }

  async function settle(): Promise<void> {
    await fixture.whenStable();
    fixture.detectChanges();
  }

  beforeEach(() => {
    // jsdom draws nothing: the patterns fall back to plain colours.
    jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
    realtime = fakeRealtime();
    TestBed.configureTestingModule({
      providers: [provideZonelessChangeDetection(), provideHttpClient(), provideHttpClientTesting(), realtime.provider],
    });
    TestBed.overrideComponent(CredentialsChartsComponent, {
      remove: { imports: [ChartComponent] },
      add: { imports: [ChartStubComponent] },
    });
    http = TestBed.inject(HttpTestingController);
    fixture = TestBed.createComponent(CredentialsChartsComponent);
  });

  afterEach(() => {
    fixture.destroy();
    http.verify();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('should draw status changes per hour and say the same figures in text', async () => {
    flushBoth('day', { 9: [3, 1], 14: [1, 0] });
    await settle();

    const changesPanel = root().querySelector('[data-testid="status-changes-chart"]')!;
    expect(changesPanel.querySelector('[data-testid="chart-stub"]')!.textContent).toContain('2 series, 24 bars');
    expect(changesPanel.textContent).toContain('4 verified, 1 invalid');
    expect(changesPanel.querySelectorAll('table.visually-hidden tbody tr')).toHaveLength(2);
  });

  it('should draw the counts by source with a table of the same figures', async () => {
    flushBoth();
    await settle();

    const sourcesPanel = root().querySelector('[data-testid="source-counts-chart"]')!;
    expect(sourcesPanel.querySelector('[data-testid="chart-stub"]')!.textContent).toContain('4 series, 2 bars');
    const rows = Array.from(sourcesPanel.querySelectorAll('tbody tr')).map((tr) =>
      Array.from(tr.children).map((cell) => cell.textContent?.trim()),
    );
    expect(rows).toEqual([
      ['Example Bank', '3', '1', '1', '0', '5'],
      ['src_x', '0', '0', '0', '1', '1'],
    ]);
  });

  it('should switch to the last week', async () => {
    flushBoth();
    await settle();

    const week = Array.from(root().querySelectorAll('button')).find((b) => b.textContent?.includes('Week'))!;
    week.click();
    await settle();
    http
      .expectOne((r) => r.url === '/api/events/status-changes' && r.params.get('window') === 'week')
      .flush(series('week', 168));
    await settle();

    expect(
      root().querySelector('[data-testid="status-changes-chart"] [data-testid="chart-stub"]')!.textContent,
    ).toContain('168 bars');
    expect(root().textContent).toContain('last 7 days');
  });

  it('should reload on a refetch, and follow changes no more often than every half minute', () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-30T12:00:00.000Z') });
    flushBoth();

    realtime.refetch.next();
    flushBoth();

    realtime.sendCredentials(aCredential({ id: 'a' }), aCredential({ id: 'b' }));
    jest.advanceTimersByTime(CHART_REFRESH_MS - 1);
    http.expectNone('/api/credentials/by-source');
    jest.advanceTimersByTime(1);
    flushBoth();

    realtime.sendCredentials(aCredential({ id: 'c' }));
    jest.advanceTimersByTime(CHART_REFRESH_MS);
    flushBoth();
  });
});
