import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';

import { Transactor } from '@app/sqlite';

import { Clock } from '../common/clock';
import { DeckIntentRow } from './deck-intent.entity';

/**
 * Outbound writes to Deck, recorded with their idempotency key before the
 * call and completed in the transaction that records Deck's answer. A retry
 * (after a crash, or a client resending its Idempotency-Key) finds the row and
 * reuses the key, so Deck replays its first answer instead of acting twice.
 */
@Injectable()
export class DeckIntents {
  constructor(
    private readonly transactor: Transactor,
    private readonly clock: Clock,
  ) {}

  /** Records the intent; when the key was used before, answers the row already there. */
  begin(operation: string, key: string): Promise<DeckIntentRow> {
    return this.transactor.run(async (manager) => {
      const existing = await manager.findOneBy(DeckIntentRow, { idempotency_key: key });
      if (existing) {
        return existing;
      }
      const row = manager.create(DeckIntentRow, {
        idempotency_key: key,
        operation,
        result_id: null,
        created_at: this.clock.iso(),
        completed_at: null,
      });
      await manager.insert(DeckIntentRow, row);
      return row;
    });
  }

  /** Inside the transaction that records Deck's answer. */
  async complete(manager: EntityManager, key: string, resultId: string): Promise<void> {
    await manager.update(
      DeckIntentRow,
      { idempotency_key: key },
      { result_id: resultId, completed_at: this.clock.iso() },
    );
  }

  /** The intent recorded under the key, if any, read in the caller's transaction. */
  find(manager: EntityManager, key: string): Promise<DeckIntentRow | null> {
    return manager.findOneBy(DeckIntentRow, { idempotency_key: key });
  }

  /**
   * Records a fresh attempt under the key in the caller's transaction, replacing
   * an unfinished one: its `created_at` tells later callers how old the attempt is.
   */
  async renew(manager: EntityManager, operation: string, key: string): Promise<void> {
    await manager.save(
      manager.create(DeckIntentRow, {
        idempotency_key: key,
        operation,
        result_id: null,
        created_at: this.clock.iso(),
        completed_at: null,
      }),
    );
  }

  /** Deck refused the call outright, so nothing happened there and nothing needs recovering. */
  async discard(key: string): Promise<void> {
    await this.transactor.run((manager) => this.discardIn(manager, key));
  }

  /** As `discard`, inside the caller's transaction. */
  async discardIn(manager: EntityManager, key: string): Promise<void> {
    await manager.delete(DeckIntentRow, { idempotency_key: key, completed_at: IsNull() });
  }
}
