import { Column, Entity, Index } from 'typeorm';

import { DeckRow } from '../database/deck-row';

/** A file a run captured from its source. */
@Entity('storage_items')
@Index(['task_run_id'])
export class StorageItem extends DeckRow {
  @Column({ type: 'varchar', length: 40 })
  task_run_id!: string;

  @Column({ type: 'varchar', length: 255 })
  file_name!: string;

  @Column({ type: 'varchar', length: 100 })
  file_type!: string;

  @Column({ type: 'integer' })
  file_size!: number;

  @Column({ type: 'simple-json', nullable: true })
  metadata!: Record<string, unknown> | null;

  @Column({ type: 'simple-json', nullable: true })
  extraction!: unknown;

  @Column({ type: 'varchar', length: 10 })
  result!: 'success' | 'failure';

  @Column({ type: 'varchar', length: 30 })
  fetch_date!: string;
}
