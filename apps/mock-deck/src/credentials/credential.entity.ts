import { Column, Entity, Index } from 'typeorm';

import type { AuthMethod, CredentialStatus } from '@app/deck';

import { DeckRow } from '../database/deck-row';

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
}
