import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { TaskRunStatus } from '@app/deck';

/** The local mirror of one Deck task run. */
@Entity('task_runs')
@Index('IDX_task_runs_credential_id', ['credential_id'])
export class TaskRunRow {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('IDX_task_runs_deck_id', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  deck_id!: string;

  /** Local credential id, when the run is about a credential we mirror. */
  @Column({ type: 'varchar', length: 40, nullable: true })
  credential_id!: string | null;

  /** The Deck credential the run names, so a run seen before its credential is linked when the credential arrives. */
  @Index('IDX_task_runs_deck_credential_id')
  @Column({ type: 'varchar', length: 64, nullable: true })
  deck_credential_id!: string | null;

  @Column({ type: 'varchar', length: 64 })
  task_id!: string;

  @Column({ type: 'varchar', length: 30 })
  status!: TaskRunStatus;

  @Column({ type: 'varchar', length: 10, nullable: true })
  result!: string | null;

  @Column({ type: 'simple-json' })
  errors!: { type: string; code: string; message: string }[];

  @Column({ type: 'varchar', length: 30, nullable: true })
  started_at!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  finished_at!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  last_event_at!: string | null;

  @Column({ type: 'varchar', length: 30 })
  created_at!: string;

  @Column({ type: 'varchar', length: 30 })
  updated_at!: string;
}
