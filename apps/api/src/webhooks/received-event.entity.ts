import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The inbox: every Deck event received, keyed by its id, so a duplicate is a
 * no-op. Only validly signed events (or events read back from Deck) get here.
 */
@Entity('received_events')
export class ReceivedEventRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 60 })
  type!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  object_id!: string | null;

  /** The Deck credential the event is about (credential events) or names in `data.credential_id` (runs, sessions). */
  @Index('IDX_received_events_deck_credential_id')
  @Column({ type: 'varchar', length: 64, nullable: true })
  deck_credential_id!: string | null;

  /** Deck's `created_at` for the event. */
  @Column({ type: 'varchar', length: 30 })
  created_at!: string;

  @Column({ type: 'varchar', length: 30 })
  received_at!: string;

  @Column({ type: 'varchar', length: 10 })
  via!: 'webhook' | 'catch_up';

  @Column({ type: 'integer', default: 0 })
  duplicates!: number;

  /** `applied`; `stale` (older than what we had); `held` (valid but not applicable, kept for review). */
  @Column({ type: 'varchar', length: 10 })
  outcome!: 'applied' | 'stale' | 'held';

  @Column({ type: 'varchar', length: 300, nullable: true })
  note!: string | null;

  @Column({ type: 'simple-json' })
  payload!: unknown;
}
