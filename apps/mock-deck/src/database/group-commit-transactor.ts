import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';

import { Transactor } from '@app/sqlite';

/** Writes joined into one commit at most; bounds how long the queue is held at once. */
const MAX_GROUP = 64;

interface Queued {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The write queue with group commit: writes that queued while the previous one
 * ran are committed together, each in its own savepoint, so a burst of requests
 * pays for one commit instead of one each. Every write still runs alone and in
 * order, sees the writes before it, gets its own result, and one that fails is
 * rolled back to its savepoint without failing the others. Callers hear back
 * only after the shared commit, so nothing is answered (or sent) before it is
 * durable.
 */
@Injectable()
export class GroupCommitTransactor extends Transactor implements BeforeApplicationShutdown {
  private waiting: Queued[] = [];
  private groupQueued = false;

  constructor(@InjectDataSource() private readonly source: DataSource) {
    super(source);
  }

  /** Writes already asked for (a clock change's save, say) commit before the connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    do {
      await this.exclusive(() => Promise.resolve());
    } while (this.groupQueued);
  }

  override run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.groupQueued) {
        this.groupQueued = true;
        void this.exclusive(() => this.commitGroup());
      }
    });
  }

  private async commitGroup(): Promise<void> {
    const group = this.waiting.splice(0, MAX_GROUP);
    if (this.waiting.length > 0) {
      // The rest go in the next group, behind whatever queued meanwhile.
      void this.exclusive(() => this.commitGroup());
    } else {
      this.groupQueued = false;
    }
    if (group.length === 1) {
      // Alone in its group: a plain transaction, no savepoint to pay for.
      const [{ work, resolve, reject }] = group;
      await this.source.transaction((manager) => work(manager)).then(resolve, reject);
      return;
    }
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await this.source.transaction(async (manager) => {
        for (const { work } of group) {
          try {
            outcomes.push({ ok: true, value: await manager.transaction((inner) => work(inner)) });
          } catch (error: unknown) {
            outcomes.push({ ok: false, value: error });
          }
        }
      });
    } catch (error: unknown) {
      group.forEach(({ reject }) => reject(error));
      return;
    }
    group.forEach(({ resolve, reject }, i) =>
      outcomes[i].ok ? resolve(outcomes[i].value) : reject(outcomes[i].value),
    );
  }
}
