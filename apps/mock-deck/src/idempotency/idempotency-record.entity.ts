import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A successful write remembered under its `Idempotency-Key` for 24 hours.
 * A row with no status is a request still in flight.
 */
@Entity('idempotency_records')
@Index(['org_id', 'key'], { unique: true })
export class IdempotencyRecord {
  @PrimaryGeneratedColumn()
  seq!: number;

  @Column({ type: 'varchar', length: 40 })
  org_id!: string;

  @Column({ type: 'varchar', length: 256 })
  key!: string;

  /** sha256 of method, path and body: what "the same parameters" means. */
  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  @Column({ type: 'integer', nullable: true })
  status_code!: number | null;

  @Column({ type: 'simple-json', nullable: true })
  body!: unknown;

  @Column({ type: 'varchar', length: 30 })
  expires_at!: string;
}
