import type { ScenarioSpec } from '@app/deck';

import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A scenario an organisation uploaded through the control plane. */
@Entity('scenarios')
@Index('IDX_scenarios_org_name', ['org_id', 'name'], { unique: true })
export class Scenario {
  @PrimaryGeneratedColumn()
  seq!: number;

  @Column({ type: 'varchar', length: 40 })
  org_id!: string;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  /** The checked scenario as uploaded. */
  @Column({ type: 'simple-json' })
  spec!: ScenarioSpec;

  @Column({ type: 'varchar', length: 30 })
  created_at!: string;

  @Column({ type: 'varchar', length: 30 })
  updated_at!: string;
}
