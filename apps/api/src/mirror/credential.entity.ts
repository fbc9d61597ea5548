import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { AuthMethod, CredentialStatus } from '@app/deck';

/** The local mirror of one Deck credential. Never the password: only a masked username. */
@Entity('credentials')
@Index('IDX_credentials_status', ['status'])
@Index('IDX_credentials_external_id', ['external_id'])
// One per sort, and per status with each sort (see the CredentialSearch migration, which also adds
// the free-text search table and the counts by status, both kept by triggers).
@Index('IDX_credentials_created_at', ['created_at', 'id'])
@Index('IDX_credentials_status_changed_at', ['status_changed_at', 'id'])
@Index('IDX_credentials_status_created_at', ['status', 'created_at', 'id'])
@Index('IDX_credentials_status_status_changed_at', ['status', 'status_changed_at', 'id'])
@Index('IDX_credentials_source_id', ['source_id', 'status'])
export class CredentialRow {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Index('IDX_credentials_deck_id', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  deck_id!: string;

  @Column({ type: 'varchar', length: 64 })
  source_id!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  external_id!: string | null;

  @Column({ type: 'varchar', length: 30 })
  auth_method!: AuthMethod;

  @Column({ type: 'varchar', length: 300, nullable: true })
  username_hint!: string | null;

  @Column({ type: 'varchar', length: 20 })
  status!: CredentialStatus;

  @Column({ type: 'simple-json', nullable: true })
  last_error!: { type: string; code: string; message: string } | null;

  /** Deck's `created_at` of the newest event applied; older events never move the row back. */
  @Column({ type: 'varchar', length: 30, nullable: true })
  last_event_at!: string | null;

  @Column({ type: 'varchar', length: 30 })
  status_changed_at!: string;

  @Column({ type: 'varchar', length: 30 })
  created_at!: string;

  @Column({ type: 'varchar', length: 30 })
  updated_at!: string;
}
