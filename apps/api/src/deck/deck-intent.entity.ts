import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * An outbound write to Deck, recorded with its idempotency key before the
 * call: a retry after a crash reuses the key, so Deck answers with the first
 * result instead of doing the work twice.
 */
@Entity('deck_intents')
export class DeckIntentRow {
  @PrimaryColumn({ type: 'varchar', length: 120 })
  idempotency_key!: string;

  @Column({ type: 'varchar', length: 60 })
  operation!: string;

  /** The Deck object the call produced, once it answered. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  result_id!: string | null;

  @Column({ type: 'varchar', length: 30 })
  created_at!: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  completed_at!: string | null;
}
