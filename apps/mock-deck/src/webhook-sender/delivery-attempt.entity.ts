import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

import type { DeliveryFaultName, EventType } from '@app/deck';

/**
 * One request the dispatcher made (or, for a dropped attempt, would have made)
 * for one delivery: the sandbox's delivery log. Written in the same transaction
 * as the delivery's update, so the log and the delivery never disagree.
 */
@Entity('delivery_attempts')
@Index(['destination_id'])
@Index(['delivery_id', 'number'], { unique: true })
export class DeliveryAttempt {
  /** Orders the log and anchors the live tail (`/sandbox/attempts?after=`). */
  @PrimaryGeneratedColumn()
  seq!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 40 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 40 })
  org_id!: string;

  @Column({ type: 'varchar', length: 40 })
  delivery_id!: string;

  @Column({ type: 'varchar', length: 40 })
  event_id!: string;

  @Column({ type: 'varchar', length: 60 })
  event_type!: EventType;

  @Column({ type: 'varchar', length: 40 })
  destination_id!: string;

  /** 1-based position in the delivery's log (tries, duplicate copies and redeliveries alike). */
  @Column({ type: 'integer' })
  number!: number;

  /** Sandbox time the attempt was made. */
  @Column({ type: 'varchar', length: 30 })
  sent_at!: string;

  /** The Unix seconds actually signed (wall clock, or older under `stale_timestamp_s`). */
  @Column({ type: 'integer' })
  webhook_timestamp!: number;

  @Column({ type: 'integer', nullable: true })
  status_code!: number | null;

  @Column({ type: 'integer' })
  latency_ms!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  response_excerpt!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  error!: string | null;

  @Column({ type: 'varchar', length: 10 })
  outcome!: 'success' | 'failure';

  @Column({ type: 'simple-json' })
  faults!: DeliveryFaultName[];

  @Column({ type: 'boolean', default: false })
  redelivery!: boolean;
}
