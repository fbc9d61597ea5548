import { IsIn, IsOptional } from 'class-validator';

import { EVENT_DESTINATION_STATUSES, EventDestinationStatus } from '@app/deck';

import { ListQueryDto, ToStringArray } from '../../common/query-transforms';

export class ListEventDestinationsQueryDto extends ListQueryDto {
  @IsOptional()
  @ToStringArray()
  @IsIn(EVENT_DESTINATION_STATUSES, { each: true })
  status?: EventDestinationStatus[];
}
