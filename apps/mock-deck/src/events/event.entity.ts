import { Column, Entity, Index } from 'typeorm';

import type { EventType } from '@app/deck';

import { DeckRow } from '../database/deck-row';

/** Every state change the sandbox makes is kept as one of these, in order. */
@Entity('events')
@Index(['org_id', 'type'])
// Lists go newest first by created_at, and each new event reads the newest of its organisation or object.
@Index('IDX_events_org_created', ['org_id', 'created_at', 'seq'])
@Index('IDX_events_object_created', ['object_id', 'created_at'])
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
