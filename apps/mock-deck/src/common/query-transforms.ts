import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import type { PageParams } from './pagination';

/**
 * Array filters arrive as `status=a&status=b` or `status=a,b`; Deck does not
 * say which, so both are taken.
 */
export const ToStringArray = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === undefined) {
      return undefined;
    }
    const items: unknown[] = Array.isArray(value) ? value : [value];
    return items
      .flatMap((item): unknown[] => (typeof item === 'string' ? item.split(',') : [item]))
      .filter((i) => i !== '');
  });

/** `limit`, `cursor` and the older id cursors every list takes. */
export class ListQueryDto implements PageParams {
  /** Items per page, 1 to 100. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  /** Opaque cursor from the previous page's `next_cursor`. */
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;

  /** Id of an item: the page starts after it. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  starting_after?: string;

  /** Id of an item: the page ends before it. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ending_before?: string;
}
