import { Column, Entity } from 'typeorm';

import type { DeckTaskStorageSettings, TaskStatus } from '@app/deck';

import { DeckRow } from '../database/deck-row';

@Entity('tasks')
export class Task extends DeckRow {
  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ type: 'text', nullable: true })
  prompt!: string | null;

  @Column({ type: 'varchar', length: 20 })
  status!: TaskStatus;

  @Column({ type: 'varchar', length: 40 })
  agent_id!: string;

  @Column({ type: 'simple-json', nullable: true })
  input_schema!: Record<string, unknown> | null;

  @Column({ type: 'simple-json', nullable: true })
  output_schema!: Record<string, unknown> | null;

  @Column({ type: 'simple-json', nullable: true })
  storage!: DeckTaskStorageSettings | null;

  @Column({ type: 'boolean', default: false })
  extraction!: boolean;

  @Column({ type: 'integer' })
  timeout_seconds!: number;

  @Column({ type: 'varchar', length: 30, nullable: true })
  deleted_at!: string | null;
}
