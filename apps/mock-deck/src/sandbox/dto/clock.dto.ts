import { IsDefined, IsNumber, IsPositive, Max } from 'class-validator';

import { MAX_SCALE } from '../../scheduler/clock';
import { IsDuration } from '../is-duration';

export class AdvanceClockDto {
  /** How far to move sandbox time: `90s`, `10m`, `3d`, `1h30m` (at most `3650d`). */
  @IsDefined()
  @IsDuration()
  by!: string;
}

export class ScaleClockDto {
  /** Sandbox seconds per real second (1 is real time). */
  @IsDefined()
  @IsNumber()
  @IsPositive()
  @Max(MAX_SCALE)
  scale!: number;
}
