import type { ChartConfiguration, TooltipItem } from 'chart.js';

import type { TaskRunView } from '@app/contracts';

import { duration } from '../../../shared/relative-time';

/** The newest runs drawn; older ones stay in the list below the chart. */
export const CHARTED_RUNS = 20;

const COLOUR: Record<string, string> = {
  completed: '#2e7d4f',
  failed: '#c0392b',
  canceled: '#8a939f',
  canceling: '#8a939f',
  cancelling: '#8a939f',
  running: '#2f6fbf',
  queued: '#c7a23a',
  interaction_required: '#d08a00',
  review_required: '#d08a00',
};

export interface ChartedRun {
  run: TaskRunView;
  start: number;
  end: number;
  /** "completed", "interaction required", … */
  words: string;
}

/** When a run began and ended on the time axis; a run still going ends now. */
export function chartedRuns(runs: TaskRunView[], nowMs: number): ChartedRun[] {
  return runs
    .slice(0, CHARTED_RUNS)
    .map((run) => {
      const start = Date.parse(run.started_at ?? run.created_at);
      const end = run.finished_at ? Date.parse(run.finished_at) : Math.max(nowMs, start);
      return { run, start, end, words: run.status.replace(/_/g, ' ') };
    })
    .sort((a, b) => a.start - b.start);
}

/** 14:05:09, or 3 Jan 14:05 when the axis spans more than a day. */
export function timeLabel(ms: number, spanMs: number): string {
  const options: Intl.DateTimeFormatOptions =
    spanMs > 24 * 3600_000
      ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }
      : { hour: '2-digit', minute: '2-digit', second: '2-digit' };
  return new Intl.DateTimeFormat(undefined, options).format(ms);
}

/**
 * A floating horizontal bar per run, from its start to its end (or now), on a
 * linear axis of epoch milliseconds (Chart.js has no date adapter here), with
 * the status in the row label and tooltip so colour is never the only clue.
 */
export function runsChartConfig(runs: TaskRunView[], nowMs: number): ChartConfiguration {
  const charted = chartedRuns(runs, nowMs);
  const min = charted.length ? Math.min(...charted.map((c) => c.start)) : nowMs - 60_000;
  const max = charted.length ? Math.max(...charted.map((c) => c.end)) : nowMs;
  const pad = Math.max((max - min) * 0.05, 5_000);
  const span = max - min + 2 * pad;
  const config: ChartConfiguration<'bar', [number, number][], string[]> = {
    type: 'bar',
    data: {
      // Two short lines (time, status) keep the axis narrow on a phone.
      labels: charted.map((c) => [timeLabel(c.start, span), c.words]),
      datasets: [
        {
          label: 'Runs',
          data: charted.map((c) => [c.start, c.end]),
          backgroundColor: charted.map((c) => COLOUR[c.run.status] ?? '#8a939f'),
          borderRadius: 3,
          minBarLength: 6,
          barPercentage: 0.7,
          categoryPercentage: 0.9,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      plugins: {
        legend: { display: false },
        tooltip: {
          callbacks: {
            label: (item: TooltipItem<'bar'>) => {
              const c = charted[item.dataIndex];
              const running = !c.run.finished_at;
              return `${c.words}, ${running ? 'for' : 'took'} ${duration(c.end - c.start)}${running ? ' so far' : ''}`;
            },
          },
        },
      },
      scales: {
        x: {
          type: 'linear',
          min: min - pad,
          max: max + pad,
          ticks: { maxTicksLimit: 6, callback: (value) => timeLabel(Number(value), span) },
          title: { display: true, text: 'Time' },
        },
        y: { type: 'category', ticks: { autoSkip: false } },
      },
    },
  };
  return config;
}
