import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { SandboxClock } from '../common/clock';

const MAX_IMMEDIATE_PASSES = 100_000;

/** Something with work that falls due on the sandbox clock (runs, deliveries, sessions). */
export interface ScheduledWork {
  readonly name: string;
  /** Does everything due at `nowMs`; returns the sandbox time of the next due item, or null. */
  runDue(nowMs: number): Promise<number | null>;
}

/**
 * Wakes due work on the sandbox clock. Work is stored with its due time in the
 * database, so nothing is lost across a restart; the scheduler only decides
 * when to look. It sleeps until the earliest due item (scaled to real time),
 * wakes at once when new work is written or the clock jumps, and never runs two
 * passes at the same time.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Scheduler.name);
  private readonly works: ScheduledWork[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;
  /** Passes in a row that found more work due at once; a bug that never clears a due time would spin forever. */
  private immediatePasses = 0;
  /** Resolvers waiting for the scheduler to have nothing due. */
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly clock: SandboxClock) {}

  register(work: ScheduledWork): void {
    this.works.push(work);
  }

  onApplicationBootstrap(): void {
    this.stopped = false;
    this.unsubscribe = this.clock.onChange(() => this.wake());
    this.wake();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.clearTimer();
    await this.running;
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

  /** Resolves once a pass has found nothing due right now (used after moving the clock). */
  settle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wake();
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
      }
    }
  }

  private clearTimer(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }
}
