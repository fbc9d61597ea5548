import { DatePipe, formatDate } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';

import type { SandboxClockView } from '@app/deck';

import { ActionResultComponent } from './action-result.component';
import { ActionState } from './action-state';
import { describeDuration, durationProblem, parseDuration } from './duration';
import { describeSandboxProblem } from './sandbox-errors';
import { SandboxService } from './sandbox.service';
import { pollWhileVisible } from './visible-poll';

const REFRESH_MS = 3000;
const MAX_SCALE = 1_000_000;

/** Section 5: the sandbox's clock, shared by every organisation: read, frozen, resumed, advanced, sped up. */
@Component({
  selector: 'dh-clock-card',
  imports: [
    DatePipe,
    FormsModule,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    ActionResultComponent,
  ],
  templateUrl: './clock-card.component.html',
  styleUrl: './clock-card.component.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ClockCardComponent {
  protected readonly clock = signal<SandboxClockView | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly advanceBy = signal('10m');
  protected readonly advanceTouched = signal(false);
  protected readonly scaleText = signal('');
  protected readonly tick = signal(Date.now());
  protected readonly action = new ActionState();

  /** Between reads, sandbox time moves on at its speed (unless frozen), so the display ticks each second. */
  protected readonly shownNow = computed(() => {
    const clock = this.clock();
    if (!clock) {
      return null;
    }
    const at = Date.parse(clock.now);
    return clock.frozen ? at : at + (this.tick() - this.readAt) * clock.scale;
  });
  protected readonly advanceProblem = computed(() =>
    this.advanceTouched() ? durationProblem(this.advanceBy()) : null,
  );
  /** How far sandbox time is from the browser's, when it is more than a minute. */
  protected readonly offset = computed(() => {
    const clock = this.clock();
    if (!clock) {
      return null;
    }
    const ms = Date.parse(clock.now) - this.readAt;
    if (Math.abs(ms) < 60_000) {
      return null;
    }
    return `${describeDuration(Math.abs(ms))} ${ms > 0 ? 'ahead of' : 'behind'} real time`;
  });

  private readonly sandbox = inject(SandboxService);
  private readonly poll = pollWhileVisible(REFRESH_MS, () => this.loadClock());
  private readAt = Date.now();

  constructor() {
    this.poll.start();
    const ticker = setInterval(() => this.tick.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(ticker));
  }

  protected async freezeClock(): Promise<void> {
    await this.act('Freezing the clock…', async () => {
      const clock = await this.sandbox.freezeClock();
      return `Frozen at ${this.formatTime(clock.now)}: nothing falls due until you advance or resume it.`;
    });
  }

  protected async resumeClock(): Promise<void> {
    await this.act('Resuming the clock…', async () => {
      const clock = await this.sandbox.resumeClock();
      return `Running again from ${this.formatTime(clock.now)} at ${clock.scale}×.`;
    });
  }

  protected async advanceClock(): Promise<void> {
    this.advanceTouched.set(true);
    const by = this.advanceBy().trim();
    if (durationProblem(by) !== null) {
      return;
    }
    const ms = parseDuration(by) ?? 0;
    const started = performance.now();
    await this.act(
      `Moving the clock ${describeDuration(ms)} forward and running everything that fell due…`,
      async () => {
        const clock = await this.sandbox.advanceClock(by);
        const took = ((performance.now() - started) / 1000).toFixed(1);
        return `Moved ${describeDuration(ms)} forward in ${took} s; everything due ran. Sandbox time is now ${this.formatTime(clock.now)}.`;
      },
    );
  }

  protected async setScale(scale: number | string = this.scaleText()): Promise<void> {
    const value = Number(scale);
    if (String(scale).trim() === '' || !Number.isFinite(value) || value <= 0 || value > MAX_SCALE) {
      this.action.refuse(
        `Enter a speed above 0 and up to ${MAX_SCALE.toLocaleString('en')} (sandbox seconds per real second).`,
      );
      this.action.result.set(null);
      return;
    }
    await this.act(`Setting the speed to ${value}×…`, async () => {
      const clock = await this.sandbox.scaleClock(value);
      this.scaleText.set('');
      return `Speed set: ${clock.scale} sandbox second${clock.scale === 1 ? '' : 's'} pass per real second.`;
    });
  }

  private async loadClock(): Promise<void> {
    try {
      const clock = await this.sandbox.clock();
      this.readAt = Date.now();
      this.tick.set(this.readAt);
      this.clock.set(clock);
      this.loadError.set(null);
    } catch (error: unknown) {
      this.loadError.set(describeSandboxProblem(error).sentence);
    }
  }

  /** Runs a change of the clock, then reads the clock again. */
  private async act(progress: string, work: () => Promise<string>): Promise<void> {
    await this.action.run(progress, work);
    await this.loadClock();
  }

  /** The same format as the display above. */
  private formatTime(iso: string): string {
    return formatDate(iso, 'medium', 'en-US');
  }
}
