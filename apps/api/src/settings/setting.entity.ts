import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Small durable facts (the catch-up watermark, the registered destination's id). Never a secret. */
@Entity('settings')
export class SettingRow {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  key!: string;

  @Column({ type: 'text' })
  value!: string;
}
