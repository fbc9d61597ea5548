import { Column, Entity, Index } from 'typeorm';

import type { EventType } from '@app/deck';

import { DeckRow } from '../database/deck-row';

/** Every state change the sandbox makes is kept as one of these, in order. */
@Entity('events')
@Index(['org_id', 'type'])
export class DeckEventRow extends DeckRow {
  @Column({ type: 'varchar', length: 60 })
  type!: EventType;

  /** The id of the object the event is about, for filtering and for the control plane. */
  @Column({ type: 'varchar', length: 40 })
  object_id!: string;

  /** The payload exactly as delivered. */
  @Column({ type: 'simple-json' })
  data!: Record<string, unknown>;
}
