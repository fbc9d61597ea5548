import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One organisation per distinct API key. Only a hash of the key is kept. */
@Entity('organizations')
export class Organization {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  id!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  key_hash!: string;

  @Column({ type: 'varchar', length: 30 })
  created_at!: string;
}
