import { Column, Entity, Index } from 'typeorm';

import type { DeckErrorItem, DeckInteraction, TaskRunResult, TaskRunStatus } from '@app/deck';

import { DeckRow } from '../database/deck-row';
import { msTransformer } from '@app/sqlite';
import type { RunProgress } from './engine/run-progress';

@Entity('task_runs')
@Index(['org_id', 'credential_id'])
@Index(['status', 'next_step_at'])
export class TaskRun extends DeckRow {
  @Column({ type: 'varchar', length: 20 })
  status!: TaskRunStatus;

  @Column({ type: 'varchar', length: 10, nullable: true })
  result!: TaskRunResult | null;

  @Column({ type: 'varchar', length: 40 })
  task_id!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  credential_id!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  session_id!: string | null;

  @Column({ type: 'varchar', length: 40 })
  agent_id!: string;

  @Column({ type: 'varchar', length: 40, nullable: true })
  source_id!: string | null;

  @Column({ type: 'integer', default: 0 })
  runtime_ms!: number;

  @Column({ type: 'simple-json', nullable: true })
  input!: unknown;

  @Column({ type: 'simple-json', nullable: true })
  output!: unknown;

  @Column({ type: 'simple-json' })
  errors!: DeckErrorItem[];

  @Column({ type: 'simple-json', nullable: true })
  interaction!: DeckInteraction | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  started_at!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  canceled_at!: string | null;

  /** The tracing id a client may send with the run; kept, never echoed. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  client_request_id!: string | null;

  /** Where the run's script stands; the engine's own bookkeeping. */
  @Column({ type: 'simple-json' })
  progress!: RunProgress;

  /** Sandbox time (ms) at which the engine next acts on this run; null when nothing is due. */
  @Column({ type: 'bigint', nullable: true, transformer: msTransformer })
  next_step_at!: number | null;
}
