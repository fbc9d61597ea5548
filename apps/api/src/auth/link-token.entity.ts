import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A short-lived connect link for one end user (`external_id`). Only the token's sha256 is stored. */
@Entity('link_tokens')
export class LinkTokenRow {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  token_hash!: string;

  @Column({ type: 'varchar', length: 255 })
  external_id!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  source_id!: string | null;

  @Column({ type: 'varchar', length: 40, nullable: true })
  created_by!: string | null;

  @Column({ type: 'varchar', length: 30 })
  expires_at!: string;

  @Column({ type: 'varchar', length: 30 })
  created_at!: string;
}
