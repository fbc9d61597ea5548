import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

import { SandboxClock } from './clock';
import { ScheduledWork, SchedulerLane } from './scheduler-lane';

export type { ScheduledWork } from './scheduler-lane';

/**
 * Wakes due work on the sandbox clock. Work is stored with its due time in the
 * database, so nothing is lost across a restart; the scheduler only decides
 * when to look. Runs, credential schedules and sessions share one lane (one
 * pass takes each in turn, so a clock jump replays them in a fixed order);
 * work with `ownLane` (webhook delivery) has its own, so a committed event's
 * delivery starts at once instead of after the others' pass.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly shared: SchedulerLane;
  private readonly lanes: SchedulerLane[];
  private readonly byWork = new Map<ScheduledWork, SchedulerLane>();
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly clock: SandboxClock) {
    this.shared = new SchedulerLane(clock);
    this.lanes = [this.shared];
  }

  register(work: ScheduledWork): void {
    let lane = this.shared;
    if (work.ownLane) {
      lane = new SchedulerLane(this.clock);
      this.lanes.push(lane);
    }
    lane.works.push(work);
    this.byWork.set(work, lane);
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.clock.onChange(() => this.wake());
    this.lanes.forEach((lane) => lane.start());
  }

  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    await Promise.all(this.lanes.map((lane) => lane.stop()));
  }

  /** Look for due work now, in every lane (coalesced: many calls make one pass each). */
  wake(): void {
    this.lanes.forEach((lane) => lane.wake());
  }

  /** Look for due work of one work's lane only (an event's deliveries wake only the dispatcher). */
  wakeWork(work: ScheduledWork | string): void {
    const found = typeof work === 'string' ? [...this.byWork.keys()].find((w) => w.name === work) : work;
    if (found) {
      this.byWork.get(found)?.wake();
    }
  }

  /**
   * Work was written that falls due at `dueMs`: a pass is needed only if no pass or timer
   * already comes by then (a new run is due a step later; waking for it would be a pass for nothing).
   */
  wakeBy(dueMs: number): void {
    this.lanes.forEach((lane) => lane.wakeBy(dueMs));
  }

  /** Resolves once every lane has found nothing due right now (used after moving the clock). */
  async settle(): Promise<void> {
    do {
      await Promise.all(this.lanes.map((lane) => lane.settle()));
      // One lane's work can make another's due (a step's event, a delivery): look again until all are still.
    } while (this.lanes.some((lane) => lane.busy()));
  }
}
