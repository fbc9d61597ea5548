import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import type { ReceivedEventListQuery, ReceivedEventView } from '@app/contracts';

import { PageQueryDto } from '../../common/page-query.dto';

export const RECEIVED_EVENT_OUTCOMES = ['applied', 'stale', 'held'] as const satisfies ReceivedEventView['outcome'][];
export const RECEIVED_EVENT_VIAS = ['webhook', 'catch_up'] as const satisfies ReceivedEventView['via'][];

/** `type=a&type=b` or `type=a,b`, as Deck's own list filters. */
const ToStringArray = () =>
  Transform(({ value }: { value: unknown }) =>
    value === undefined
      ? undefined
      : ([] as unknown[])
          .concat(value)
          .flatMap((item): unknown[] => (typeof item === 'string' ? item.split(',') : [item]))
          .filter((item) => item !== ''),
  );

export class ListReceivedEventsQueryDto extends PageQueryDto implements ReceivedEventListQuery {
  /** Only these event types (`task_run.completed`, …). */
  @IsOptional()
  @ToStringArray()
  @ArrayMaxSize(40)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  type?: string[];

  /** Only these outcomes: `applied`, `stale` (older than the mirror), `held` (kept for review). */
  @IsOptional()
  @ToStringArray()
  @IsIn(RECEIVED_EVENT_OUTCOMES, { each: true })
  outcome?: ReceivedEventView['outcome'][];

  /** Only events that came this way: `webhook` or `catch_up`. */
  @IsOptional()
  @ToStringArray()
  @IsIn(RECEIVED_EVENT_VIAS, { each: true })
  via?: ReceivedEventView['via'][];

  /** Only events about this Deck credential (`cred_…`) or its runs and sessions. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  deck_credential_id?: string;
}
