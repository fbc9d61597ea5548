import { IsIn, IsOptional } from 'class-validator';

import { TASK_RUN_INCLUDES, TaskRunInclude } from '@app/deck';

import { ToStringArray } from '../../common/query-transforms';

export class GetTaskRunQueryDto {
  /** Extra sections: `input`, `storage`, `artifacts` (or `screenshots`), comma-separated. */
  @IsOptional()
  @ToStringArray()
  @IsIn(TASK_RUN_INCLUDES, { each: true })
  include?: TaskRunInclude[];
}
