import { Column, Entity } from 'typeorm';

import { DeckRow } from '../database/deck-row';

@Entity('agents')
export class Agent extends DeckRow {
  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  deleted_at!: string | null;
}
