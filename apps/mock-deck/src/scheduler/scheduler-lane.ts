import { Logger } from '@nestjs/common';

import type { SandboxClock } from './clock';

const MAX_IMMEDIATE_PASSES = 100_000;

/** Something with work that falls due on the sandbox clock (runs, deliveries, sessions). */
export interface ScheduledWork {
  readonly name: string;
  /**
   * Work that only reacts to what the others commit (deliveries) gets a lane of its own, so it
   * never waits behind their pass; the rest share one lane, in the order they registered.
   */
  readonly ownLane?: boolean;
  /** Does everything due at `nowMs`; returns the sandbox time of the next due item, or null. */
  runDue(nowMs: number): Promise<number | null>;
}

/**
 * One loop of passes over some works: sleeps until the earliest due item (scaled to real
 * time), wakes at once when asked, and never runs two passes at the same time.
 */
export class SchedulerLane {
  private readonly logger = new Logger(SchedulerLane.name);
  readonly works: ScheduledWork[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** The sandbox time the timer wakes at. */
  private timerDueMs: number | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  /** Passes in a row that found more work due at once; a bug that never clears a due time would spin forever. */
  private immediatePasses = 0;
  /** Resolvers waiting for this lane to have nothing due. */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly clock: SandboxClock) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.running;
  }

  /** A pass is under way or asked for. */
  busy(): boolean {
    return this.running !== null || this.again;
  }

  /** Look for due work now (coalesced: many calls make one pass). */
  wake(): void {
    if (this.stopped) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    this.clearTimer();
    // Wakes come from inside work running as of a past time; the pass must see the present.
    this.running = this.clock
      .detached(() => this.pass())
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Wakes now unless a pass is under way or asked for, or the timer comes by `dueMs`. */
  wakeBy(dueMs: number): void {
    if (this.running || this.again || (this.timerDueMs !== null && this.timerDueMs <= dueMs)) {
      if (this.running) {
        // The pass may have read the due times before this work was written.
        this.again = true;
      }
      return;
    }
    this.wake();
  }

  /** Resolves once a pass has found nothing due right now. */
  settle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake();
      if (this.stopped) {
        resolve();
      }
    });
  }

  private async pass(): Promise<void> {
    let next: number | null = null;
    for (const work of this.works) {
      try {
        const due = await work.runDue(this.clock.nowMs());
        if (due !== null && (next === null || due < next)) {
          next = due;
        }
      } catch (error: unknown) {
        this.logger.error({ err: error }, `Scheduled work ${work.name} failed`);
      }
    }
    if (this.stopped) {
      return;
    }
    if (next !== null && next <= this.clock.nowMs()) {
      if (++this.immediatePasses < MAX_IMMEDIATE_PASSES) {
        this.again = true;
        return;
      }
      this.logger.error(`Work stayed due after ${MAX_IMMEDIATE_PASSES} passes; backing off for a second`);
      this.timer = setTimeout(() => this.wake(), 1000);
      this.timer.unref();
      this.immediatePasses = 0;
      return;
    }
    this.immediatePasses = 0;
    if (!this.again) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
    if (next !== null) {
      const delay = this.clock.realDelayUntil(next);
      if (delay !== null) {
        // Timers beyond ~24 days overflow; re-plan at most daily.
        this.timer = setTimeout(() => this.wake(), Math.min(Math.ceil(delay), 86_400_000));
        this.timer.unref();
        this.timerDueMs = delay <= 86_400_000 ? next : null;
      }
    }
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.timerDueMs = null;
  }
}
