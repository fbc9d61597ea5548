import { IsDefined, IsNumber, IsPositive, IsString, Matches, Max } from 'class-validator';

export class AdvanceClockDto {
  /** How far to move sandbox time: `90s`, `10m`, `3d`, `1h30m`. */
  @IsDefined()
  @IsString()
  @Matches(/^(\d+(\.\d+)?(ms|s|m|h|d))+$/, { message: 'by must be a duration such as 90s, 10m or 3d' })
  by!: string;
}

export class ScaleClockDto {
  /** Sandbox seconds per real second (1 is real time). */
  @IsDefined()
  @IsNumber()
  @IsPositive()
  @Max(1_000_000)
  scale!: number;
}
