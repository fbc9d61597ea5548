import { Column, Entity, Index } from 'typeorm';

import type { DeliveryFaultName, EventType } from '@app/deck';

import { DeckRow } from '../database/deck-row';
import { msTransformer } from '@app/sqlite';

/** One event on its way to one destination: written with the event, in the same transaction. */
@Entity('event_deliveries')
@Index(['event_destination_id'])
@Index(['status', 'next_attempt_at'])
@Index(['redeliver_at'])
export class EventDelivery extends DeckRow {
  @Column({ type: 'varchar', length: 40 })
  event_id!: string;

  @Column({ type: 'varchar', length: 60 })
  event_type!: EventType;

  @Column({ type: 'varchar', length: 40 })
  event_destination_id!: string;

  @Column({ type: 'varchar', length: 10 })
  status!: 'pending' | 'success' | 'failure';

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ type: 'varchar', length: 30, nullable: true })
  delivered_at!: string | null;

  /** Sandbox time (ms) of the next attempt; null once the delivery is final. */
  @Column({ type: 'bigint', nullable: true, transformer: msTransformer })
  next_attempt_at!: number | null;

  /**
   * Sandbox time (ms) a first attempt held by `delay_ms` / `reorder_window_ms`
   * is released; null when it was never held. Kept after release: it marks the
   * hold as done, and open reorder windows are found by it.
   */
  @Column({ type: 'bigint', nullable: true, transformer: msTransformer })
  held_until!: number | null;

  /** The faults that held the first attempt, for its log entry. */
  @Column({ type: 'simple-json', nullable: true })
  held_faults!: DeliveryFaultName[] | null;

  /** Sandbox time (ms) a requested redelivery is due (a lease while it is sent); null when none is asked. */
  @Column({ type: 'bigint', nullable: true, transformer: msTransformer })
  redeliver_at!: number | null;
}
