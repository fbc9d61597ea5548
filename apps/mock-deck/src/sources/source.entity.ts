import { Column, Entity } from 'typeorm';

import type { SourceType } from '@app/deck';

import { DeckRow } from '../database/deck-row';

@Entity('sources')
export class Source extends DeckRow {
  @Column({ type: 'varchar', length: 255, nullable: true })
  name!: string | null;

  @Column({ type: 'varchar', length: 20 })
  type!: SourceType;

  @Column({ type: 'varchar', length: 2048 })
  website_url!: string;

  @Column({ type: 'varchar', length: 30, nullable: true })
  deleted_at!: string | null;
}
