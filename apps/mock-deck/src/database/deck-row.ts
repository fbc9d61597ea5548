import { Column, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Columns every stored Deck resource has. `seq` orders lists (newest first) and
 * anchors cursors; `id` is the public prefixed id; `org_id` isolates API keys.
 * Timestamps are ISO strings from the sandbox clock, stored as text so they
 * round-trip exactly.
 */
export abstract class DeckRow {
  @PrimaryGeneratedColumn()
  seq!: number;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 40 })
  id!: string;

  @Index()
  @Column({ type: 'varchar', length: 40 })
  org_id!: string;

  @Column({ type: 'varchar', length: 30 })
  created_at!: string;

  @Column({ type: 'varchar', length: 30 })
  updated_at!: string;
}
