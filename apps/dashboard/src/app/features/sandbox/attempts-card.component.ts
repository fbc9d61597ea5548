import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import type { ChartConfiguration } from 'chart.js';

import type { SandboxDeliveryAttempt } from '@app/deck';

import { ChartComponent } from '../../shared/chart.component';
import { StatusChipComponent } from '../../shared/status-chip.component';
import { bucketAttempts } from './attempt-buckets';
import { describeSandboxProblem } from './sandbox-errors';
import { SandboxService } from './sandbox.service';
import { SandboxStore } from './sandbox.store';
import { pollWhileVisible } from './visible-poll';

const POLL_MS = 1500;
const MAX_ROWS = 200;
/** Pages read per poll: a long backlog is read over a few polls instead of all at once. */
const MAX_PAGES = 10;

function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Section 6: every webhook attempt the sandbox makes, arriving live, with redelivery. */
@Component({
  selector: 'dh-attempts-card',
  imports: [ChartComponent, DatePipe, MatButtonModule, MatIconModule, StatusChipComponent],
  templateUrl: './attempts-card.component.html',
  styleUrl: './attempts-card.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AttemptsCardComponent {
  protected readonly rows = signal<SandboxDeliveryAttempt[]>([]);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly paused = signal(false);
  /** Attempts that arrived after the first read, highlighted briefly. */
  protected readonly fresh = signal<ReadonlySet<string>>(new Set());
  protected readonly redelivering = signal<string | null>(null);
  protected readonly redeliverResult = signal<string | null>(null);
  protected readonly redeliverError = signal<string | null>(null);

  protected readonly buckets = computed(() => bucketAttempts(this.rows()));
  protected readonly totals = computed(() =>
    this.buckets().reduce((sum, b) => ({ success: sum.success + b.success, failure: sum.failure + b.failure }), {
      success: 0,
      failure: 0,
    }),
  );
  protected readonly chart = computed<ChartConfiguration>(() => {
    const buckets = this.buckets();
    return {
      type: 'bar',
      data: {
        labels: buckets.map((b) => clockTime(b.start)),
        datasets: [
          { label: 'Succeeded', data: buckets.map((b) => b.success), backgroundColor: '#2e7d4f' },
          { label: 'Failed', data: buckets.map((b) => b.failure), backgroundColor: '#c0392b' },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, ticks: { maxRotation: 0, autoSkip: true } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: 'bottom' } },
      },
    };
  });

  private readonly sandbox = inject(SandboxService);
  private readonly store = inject(SandboxStore);
  private readonly poll = pollWhileVisible(POLL_MS, () => this.readAttempts());
  private after = 0;

  constructor() {
    // A reset deletes the organisation's log: start the tail again from the beginning.
    effect(() => {
      if (this.store.resets() > 0) {
        untracked(() => {
          this.after = 0;
          this.rows.set([]);
          this.fresh.set(new Set());
        });
      }
    });
    this.poll.start();
  }

  protected live(): boolean {
    return !this.paused() && this.poll.visible();
  }

  protected togglePaused(): void {
    this.paused.update((p) => !p);
    if (this.paused()) {
      this.poll.pause();
    } else {
      this.poll.start();
    }
  }

  protected async redeliver(attempt: SandboxDeliveryAttempt): Promise<void> {
    this.redelivering.set(attempt.id);
    this.redeliverResult.set(null);
    this.redeliverError.set(null);
    try {
      const delivery = await this.sandbox.redeliver(attempt.delivery_id);
      this.redeliverResult.set(
        `Sending ${delivery.event_type} (${delivery.event_id}) again, with the same webhook-id: the new attempt appears at the top.`,
      );
    } catch (error: unknown) {
      this.redeliverError.set(describeSandboxProblem(error).sentence);
    } finally {
      this.redelivering.set(null);
    }
  }

  private async readAttempts(): Promise<void> {
    const added: SandboxDeliveryAttempt[] = [];
    const first = !this.loaded();
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const tail = await this.sandbox.attempts(this.after);
        added.push(...tail.data);
        this.after = tail.next_after;
        if (!tail.has_more) {
          break;
        }
      }
      this.error.set(null);
    } catch (error: unknown) {
      this.error.set(describeSandboxProblem(error).sentence);
    }
    if (added.length > 0) {
      const newestFirst = added.reverse();
      this.rows.update((rows) => [...newestFirst, ...rows].slice(0, MAX_ROWS));
      this.fresh.set(first ? new Set() : new Set(newestFirst.map((a) => a.id)));
    }
    this.loaded.set(true);
  }
}
