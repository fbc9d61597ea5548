import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';

import { INTERACTION_STATES, type InteractionListQuery, type InteractionState } from '@app/contracts';

/** `state=a&state=b` and `state=a,b` both work. */
const ToStringArray = () =>
  Transform(({ value }: { value: unknown }) => {
    if (value === undefined) {
      return undefined;
    }
    const items: unknown[] = Array.isArray(value) ? value : [value];
    return items.flatMap((item): unknown[] => (typeof item === 'string' ? item.split(',') : [item])).filter(Boolean);
  });

import { PageQueryDto } from '../../common/page-query.dto';

export class ListInteractionsQueryDto extends PageQueryDto implements InteractionListQuery {
  /** open, answered, expired, superseded; repeat or separate with commas. */
  @IsOptional()
  @ToStringArray()
  @IsIn(INTERACTION_STATES, { each: true })
  state?: InteractionState[];

  /** Alias of `state` (the issue's `?status=open`). */
  @IsOptional()
  @ToStringArray()
  @IsIn(INTERACTION_STATES, { each: true })
  status?: InteractionState[];

  /** Local credential id. */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  credential_id?: string;
}
