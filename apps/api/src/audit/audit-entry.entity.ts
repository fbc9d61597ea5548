import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Who did what: logins, answers, verifications, deletions, operator changes. Never a secret. */
@Entity('audit_log')
export class AuditEntryRow {
  @PrimaryGeneratedColumn()
  seq!: number;

  @Column({ type: 'varchar', length: 30 })
  at!: string;

  /** An operator id, `end_user:<external_id>`, or `system`. */
  @Column({ type: 'varchar', length: 300 })
  actor!: string;

  @Column({ type: 'varchar', length: 60 })
  action!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  target!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  detail!: Record<string, unknown> | null;
}
