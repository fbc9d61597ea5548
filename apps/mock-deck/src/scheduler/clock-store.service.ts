import { BeforeApplicationShutdown, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';

import { SandboxClock } from './clock';
import { Transactor } from '@app/sqlite';
import { ClockStateRow } from './clock-state.entity';

const ROW_ID = 1;

/**
 * Saves the sandbox clock whenever it jumps, freezes or changes speed, and
 * restores it at start, before the scheduler looks for due work: due times
 * are sandbox times, so a clock that fell back to real time would move them.
 */
@Injectable()
export class ClockStore implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(ClockStore.name);
  /** The latest save asked for; the ones before it are queued ahead of it. */
  private saving: Promise<void> = Promise.resolve();

  constructor(
    @InjectRepository(ClockStateRow) private readonly rows: Repository<ClockStateRow>,
    private readonly clock: SandboxClock,
    private readonly transactor: Transactor,
  ) {}

  async onModuleInit(): Promise<void> {
    const saved = await this.rows.findOneBy({ id: ROW_ID });
    if (saved && SandboxClock.isValidState(saved)) {
      this.clock.restore(saved);
    } else if (saved) {
      // Left by an older version or a hand edit: a clock past what can be stored would break every organisation.
      this.logger.warn('The saved sandbox clock is not valid; it is reset to real time, running at scale 1.');
      await this.save();
    }
    this.clock.onChange(() => {
      this.saving = this.save().catch((error: unknown) => this.logger.error({ err: error }, 'Saving the clock failed'));
    });
  }

  /** A clock change made just before a stop is saved before the connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.saving;
  }

  private save(): Promise<void> {
    const state = this.clock.detached(() => this.clock.state());
    return this.transactor.run(async (manager) => {
      await manager.save(manager.create(ClockStateRow, { id: ROW_ID, ...state }));
    });
  }
}
