import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The numbered change log: written in the same transaction as the mirror change; sockets replay from it. */
@Entity('changes')
export class ChangeRow {
  @PrimaryGeneratedColumn()
  seq!: number;

  @Column({ type: 'varchar', length: 20 })
  kind!: 'credential' | 'task_run' | 'interaction';

  @Index('IDX_changes_credential_id')
  @Column({ type: 'varchar', length: 40, nullable: true })
  credential_id!: string | null;

  /** The LiveChange without its seq. */
  @Column({ type: 'simple-json' })
  payload!: unknown;

  @Column({ type: 'varchar', length: 30 })
  created_at!: string;
}
