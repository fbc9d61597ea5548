import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** A live tail of the organisation's attempts: everything after a `seq`, oldest first. */
export class TailAttemptsQueryDto {
  /** The last `seq` already seen (the previous page's `next_after`); 0 or absent starts at the beginning. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  /** Only attempts to this destination (`evtd_…`). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  destination_id?: string;

  /** Items per page, 1 to 100 (default 100). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;
}
