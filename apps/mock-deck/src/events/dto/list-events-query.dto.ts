import { IsIn, IsISO8601, IsOptional } from 'class-validator';

import { EVENT_TYPES, EventType } from '@app/deck';

import { ListQueryDto, ToStringArray } from '../../common/query-transforms';

export class ListEventsQueryDto extends ListQueryDto {
  /** Only these event types (`type=a&type=b` or `type=a,b`). */
  @IsOptional()
  @ToStringArray()
  @IsIn(EVENT_TYPES, { each: true })
  type?: EventType[];

  /** Only events created after this ISO 8601 time. */
  @IsOptional()
  @IsISO8601({ strict: true })
  created_after?: string;

  /** Only events created before this ISO 8601 time. */
  @IsOptional()
  @IsISO8601({ strict: true })
  created_before?: string;
}
