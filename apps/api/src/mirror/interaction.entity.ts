import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { InteractionState } from '@app/contracts';
import type { DeckInteraction } from '@app/deck';

/** One prompt Deck opened on a run. The answer itself is never stored. */
@Entity('interactions')
@Index('IDX_interactions_state', ['state'])
@Index('IDX_interactions_task_run_id', ['task_run_id'])
export class InteractionRow {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  task_run_id!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  credential_id!: string | null;

  @Column({ type: 'simple-json' })
  prompt!: DeckInteraction;

  @Column({ type: 'varchar', length: 20 })
  state!: InteractionState;

  /** The event that opened it: a replayed event must not open it twice. */
  @Index('IDX_interactions_opened_by_event', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  opened_by_event!: string;

  @Column({ type: 'varchar', length: 30 })
  opened_at!: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  closed_at!: string | null;

  /** Operator id, or `end_user` for the connect page. */
  @Column({ type: 'varchar', length: 300, nullable: true })
  answered_by!: string | null;
}
