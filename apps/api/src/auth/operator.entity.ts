import { Column, Entity, PrimaryColumn } from 'typeorm';

import type { Role } from '@app/contracts';

@Entity('operators')
export class OperatorRow {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 254, unique: true })
  email!: string;

  /** scrypt with a per-operator salt. */
  @Column({ type: 'varchar', length: 200 })
  password_hash!: string;

  @Column({ type: 'varchar', length: 20 })
  role!: Role;

  @Column({ type: 'varchar', length: 30 })
  created_at!: string;
}
