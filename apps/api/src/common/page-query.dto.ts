import { Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';

import { IsOptionalNotNull } from './optional-field';

/** `limit` and `cursor`, as every list of the console API takes them. */
export class PageQueryDto {
  /** Items per page, 1 to 100. */
  @IsOptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** `next_cursor` of the previous page. */
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
