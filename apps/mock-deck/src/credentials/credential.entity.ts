import { Column, Entity, Index } from 'typeorm';

import type { AuthMethod, CredentialStatus } from '@app/deck';

import { DeckRow } from '../database/deck-row';
import { msTransformer } from '@app/sqlite';

/**
 * A vaulted login. The password is never stored in clear: only a salted scrypt
 * hash, so a scenario may still check a password rule.
 */
@Entity('credentials')
@Index(['org_id', 'external_id'])
export class Credential extends DeckRow {
  @Column({ type: 'varchar', length: 20 })
  status!: CredentialStatus;

  @Column({ type: 'varchar', length: 255, nullable: true })
  external_id!: string | null;

  @Column({ type: 'varchar', length: 40 })
  source_id!: string;

  @Column({ type: 'varchar', length: 30 })
  auth_method!: AuthMethod;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  username!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  password_hash!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  source_fields!: Record<string, string> | null;

  /** A status change the sandbox will make later (a credential that breaks days after it verified). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  scheduled_status!: CredentialStatus | null;

  /** Sandbox time (ms) of the scheduled change. */
  @Index('IDX_credentials_scheduled_status_at')
  @Column({ type: 'bigint', nullable: true, transformer: msTransformer })
  scheduled_status_at!: number | null;
}
