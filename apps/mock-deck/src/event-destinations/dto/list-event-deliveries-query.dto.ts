import { IsIn, IsOptional } from 'class-validator';

import { EVENT_DELIVERY_STATUSES, EVENT_TYPES, EventDeliveryStatus, EventType } from '@app/deck';

import { ListQueryDto, ToStringArray } from '../../common/query-transforms';

export class ListEventDeliveriesQueryDto extends ListQueryDto {
  /** `success` or `failure`; the sandbox also shows `pending` while retries remain. */
  @IsOptional()
  @ToStringArray()
  @IsIn([...EVENT_DELIVERY_STATUSES, 'pending'], { each: true })
  status?: (EventDeliveryStatus | 'pending')[];

  @IsOptional()
  @ToStringArray()
  @IsIn(EVENT_TYPES, { each: true })
  type?: EventType[];
}
