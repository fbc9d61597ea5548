import { Column, Entity, PrimaryColumn } from 'typeorm';

import { msTransformer } from '@app/sqlite';

/** The sandbox clock's one saved state (row id 1), so a frozen or advanced clock survives a restart. */
@Entity('sandbox_clock')
export class ClockStateRow {
  @PrimaryColumn({ type: 'integer' })
  id!: number;

  @Column({ type: 'bigint', transformer: msTransformer })
  sandbox_ms!: number;

  @Column({ type: 'bigint', transformer: msTransformer })
  real_ms!: number;

  @Column({ type: 'real' })
  scale!: number;

  @Column({ type: 'boolean' })
  frozen!: boolean;
}
