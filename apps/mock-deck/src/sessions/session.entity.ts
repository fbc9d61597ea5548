import { Column, Entity } from 'typeorm';

import type { SessionStatus } from '@app/deck';

import { DeckRow } from '../database/deck-row';

/** A browser session; created implicitly by running a task. */
@Entity('sessions')
export class Session extends DeckRow {
  @Column({ type: 'varchar', length: 20 })
  status!: SessionStatus;

  @Column({ type: 'integer', default: 0 })
  runtime_ms!: number;

  /** When the session last had no running run; the idle timeout counts from here. */
  @Column({ type: 'varchar', length: 30, nullable: true })
  idle_since!: string | null;
}
