import { IsOptional, IsString, MaxLength } from 'class-validator';

import { ListQueryDto } from '../../common/query-transforms';

/** One destination's attempts, newest first, with Deck's paging. */
export class ListAttemptsQueryDto extends ListQueryDto {
  /** Only the attempts of this delivery (`edlv_…`). */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  delivery_id?: string;
}
