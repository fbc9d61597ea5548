import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A logged-in operator. Only the sha256 of the cookie's token is stored. */
@Entity('operator_sessions')
export class OperatorSessionRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  token_hash!: string;

  @Index('IDX_operator_sessions_operator_id')
  @Column({ type: 'varchar', length: 40 })
  operator_id!: string;

  @Column({ type: 'varchar', length: 30 })
  expires_at!: string;

  @Column({ type: 'varchar', length: 30 })
  created_at!: string;
}
